# scheduled-events-agent container: one per VM, with the host network so that IMDS (169.254.169.254) is reachable.
#   docker build -t scheduled-events-agent .
#   docker run -d --name scheduled-events-agent --network host --restart unless-stopped \
#     -v scheduled-events-state:/var/lib/scheduled-events-agent \
#     -e AGENT_SINK_LOG_FILE=/var/lib/scheduled-events-agent/records.jsonl \
#     scheduled-events-agent
# (README "Deploy": mounting routes/, settings, hooks and secret files; ContainerIT builds and runs it this way.)
#
# Both stages are Debian 12 with Debian's OpenJDK 17: the JVM that the bench measured (bench/README.md), security
# updates from Debian, and a base that can be made from Debian's packages alone (ContainerIT makes one where no
# image registry is reachable).

# A JRE, and curl for the HEALTHCHECK: the runtime's base, and the build stage's (one download of the JRE)
FROM debian:bookworm-slim AS jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl \
    && rm -rf /var/lib/apt/lists/*

# Build stage: dependencies first, so that a source change does not download them again
FROM jre AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src/main src/main
# packaged into the jar as the defaults (pom.xml resources), under a mounted settings file and the environment
COPY application.properties .
COPY responder/responder.properties responder/
RUN mvn -B -q package -Dmaven.test.skip=true

# Runtime stage: the JRE, the thin jar and its lib/ folder, the routes, settings and hooks (all mountable)
FROM jre
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /opt/scheduled-events-agent \
        --shell /usr/sbin/nologin agent \
    && mkdir -p /var/lib/scheduled-events-agent && chown agent:agent /var/lib/scheduled-events-agent
WORKDIR /opt/scheduled-events-agent
COPY --from=build /src/target/lib lib/
COPY --from=build /src/target/scheduled-events-agent.jar .
COPY application.properties .
COPY routes routes/
COPY hooks hooks/
COPY templates templates/
# the fleet responder (--responder): its libraries, off the agent's class path, and its settings and routes
COPY --from=build /src/target/lib-responder lib-responder/
COPY responder responder/
# Class-data sharing: the classes of start-up and the first polls, recorded against the built-in simulator (~15 s);
# the agent's first poll comes about 1.8x sooner (bench/README.md)
COPY deploy/cds-archive.sh /tmp/
RUN sh /tmp/cds-archive.sh /opt/scheduled-events-agent && rm /tmp/cds-archive.sh
ENV AGENT_STATE_DIR=/var/lib/scheduled-events-agent
VOLUME /var/lib/scheduled-events-agent
USER agent
EXPOSE 9465
# start-period covers IMDS's first answer, which can take up to two minutes on a VM that has not asked for a day;
# the port follows AGENT_HEALTH_PORT (set the health port that way, not in a mounted application.properties)
HEALTHCHECK --interval=30s --timeout=5s --start-period=150s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${AGENT_HEALTH_PORT:-9465}/observe/health" || exit 1
# A small daemon's JVM: bounded heap kept near what is live (young generation fixed at 6 MB, the old one grown and
# shrunk at each full GC to keep 10-30 % free: without this a maintenance wave grew the heap to 50 MB committed for
# ~13 MB live; RSS after a 10-minute wave 155 -> 117 MB, bench/README "Maintenance wave"), serial GC, C1 only and only for what is really hot (thresholds 10x the default:
# a 1 s poll makes much warm and little hot; RSS at 10 min with Event Grid 100.5 -> 93.4 MiB, bench/README), no perf-data sampling (a 50 ms timer that was a third of
# the idle CPU; jcmd still works, jps/jstat do not), JVM warnings on stderr (stdout carries records), out of memory
# exit (code 3) with the JVM's "Terminating due to java.lang.OutOfMemoryError" on stderr too (the JVM's own console
# is stdout unless DisplayVMOutputToStderr), the CDS archive; the same command as deploy/scheduled-events-agent.service
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xms16m", "-Xmx64m", "-Xmn6m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:Tier3InvocationThreshold=2000", "-XX:Tier3MinInvocationThreshold=1000", "-XX:Tier3CompileThreshold=20000", "-XX:Tier3BackEdgeThreshold=600000", "-XX:+ExitOnOutOfMemoryError", "-XX:+DisplayVMOutputToStderr", "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:SharedArchiveFile=/opt/scheduled-events-agent/scheduled-events-agent.jsa", "-jar", "/opt/scheduled-events-agent/scheduled-events-agent.jar"]
