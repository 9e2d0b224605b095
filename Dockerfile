# scheduled-events-agent container: one per VM, with the host network so that IMDS (169.254.169.254) is reachable.
#   docker build -t scheduled-events-agent .
#   docker run -d --name scheduled-events-agent --network host --restart unless-stopped \
#     -v scheduled-events-state:/var/lib/scheduled-events-agent \
#     -v "$PWD/routes:/opt/scheduled-events-agent/routes:ro" \
#     -v "$PWD/application.properties:/opt/scheduled-events-agent/application.properties:ro" \
#     -v "$PWD/hooks:/opt/scheduled-events-agent/hooks:ro" \
#     scheduled-events-agent

# Build stage: dependencies first, so that a source change does not download them again
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

# Runtime stage: a JRE, the thin jar and its lib/ folder, the routes, settings and hooks (all mountable)
FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /opt/scheduled-events-agent agent \
    && mkdir -p /var/lib/scheduled-events-agent && chown agent:agent /var/lib/scheduled-events-agent
WORKDIR /opt/scheduled-events-agent
COPY --from=build /src/target/lib lib/
COPY --from=build /src/target/scheduled-events-agent.jar .
COPY application.properties .
COPY routes routes/
COPY hooks hooks/
COPY templates templates/
# Class-data sharing: the classes of start-up and the first polls, recorded against the built-in simulator (~15 s);
# the agent's first poll comes about 1.8x sooner (bench/README.md)
COPY deploy/cds-archive.sh /tmp/
RUN sh /tmp/cds-archive.sh /opt/scheduled-events-agent && rm /tmp/cds-archive.sh
ENV AGENT_STATE_DIR=/var/lib/scheduled-events-agent
VOLUME /var/lib/scheduled-events-agent
USER agent
EXPOSE 9465
# start-period covers IMDS's first answer, which can take up to two minutes on a VM that has not asked for a day
HEALTHCHECK --interval=30s --timeout=5s --start-period=150s --retries=3 \
    CMD curl -fsS http://127.0.0.1:9465/observe/health || exit 1
# A small daemon's JVM: bounded heap kept near what is live (young generation fixed at 6 MB, the old one grown and
# shrunk at each full GC to keep 10-30 % free: without this a maintenance wave grew the heap to 50 MB committed for
# ~13 MB live; RSS after a 10-minute wave 155 -> 117 MB, bench/README "Maintenance wave"), serial GC, C1 only and only for what is really hot (thresholds 10x the default:
# a 1 s poll makes much warm and little hot; RSS at 10 min with Event Grid 100.5 -> 93.4 MiB, bench/README), no perf-data sampling (a 50 ms timer that was a third of
# the idle CPU; jcmd still works, jps/jstat do not), JVM warnings on stderr (stdout carries records), out of memory
# exit (code 3) with the JVM's "Terminating due to java.lang.OutOfMemoryError" on stderr too (the JVM's own console
# is stdout unless DisplayVMOutputToStderr), the CDS archive; the same command as deploy/scheduled-events-agent.service
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xms16m", "-Xmx64m", "-Xmn6m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:Tier3InvocationThreshold=2000", "-XX:Tier3MinInvocationThreshold=1000", "-XX:Tier3CompileThreshold=20000", "-XX:Tier3BackEdgeThreshold=600000", "-XX:+ExitOnOutOfMemoryError", "-XX:+DisplayVMOutputToStderr", "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:SharedArchiveFile=/opt/scheduled-events-agent/scheduled-events-agent.jsa", "-jar", "/opt/scheduled-events-agent/scheduled-events-agent.jar"]
