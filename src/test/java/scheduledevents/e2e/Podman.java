package scheduledevents.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * podman, run the way {@link ContainerIT} runs the README's docker commands: podman takes docker's arguments, and
 * this machine kind needs a few more, which {@link #SANDBOX} holds.
 */
final class Podman {
    /** The Dockerfile's base image; where no registry is reachable, made from Debian's packages. */
    static final String BASE_IMAGE = "docker.io/library/debian:bookworm-slim";
    static final Path BASE_IMAGE_SCRIPT = Path.of("src/test/container/debian-base-image.sh");
    /**
     * On {@code run} and {@code build}: this machine's sandbox refuses podman's default rlimits ("setrlimit
     * RLIMIT_NOFILE: Operation not permitted"); 1024 open files and processes are plenty for the agent.
     */
    static final List<String> SANDBOX = List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024");

    record Result(int exit, String stdout, String stderr) {
        Result ok(List<String> args) {
            if (exit != 0) {
                throw new AssertionError("podman " + String.join(" ", args) + " exited " + exit + "\n" + stderr
                        + "\n" + stdout);
            }
            return this;
        }
    }

    private Podman() {
    }

    /** Fails with what to do when podman is not installed: the container test is never skipped silently. */
    static void requireInstalled() {
        Result version;
        try {
            version = run(Duration.ofSeconds(60), List.of("--version"));
        } catch (UncheckedIOException e) {
            throw new AssertionError("ContainerIT needs podman: apt-get install podman runc debootstrap (as .ci/run "
                    + "does), or leave the container tests out with -Dcontainer.skip=true (README, Deploy)", e);
        }
        version.ok(List.of("--version"));
    }

    /** The base image, made with {@link #BASE_IMAGE_SCRIPT} when it is not in podman's storage. */
    static void requireBaseImage() {
        if (run(Duration.ofSeconds(60), List.of("image", "exists", BASE_IMAGE)).exit() == 0) {
            return;
        }
        Result made = exec(Duration.ofMinutes(10), List.of("sh", BASE_IMAGE_SCRIPT.toString(), BASE_IMAGE));
        if (made.exit() != 0) {
            throw new AssertionError("could not make " + BASE_IMAGE + " with " + BASE_IMAGE_SCRIPT
                    + " (needs root, debootstrap and Debian's mirror): " + made.stderr() + made.stdout());
        }
    }

    static Result run(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(args);
        return exec(timeout, command);
    }

    /** podman with these arguments must succeed; its stdout, trimmed. */
    static String ok(List<String> args) {
        return run(Duration.ofMinutes(2), args).ok(args).stdout().trim();
    }

    static String ok(String... args) {
        return ok(List.of(args));
    }

    /** Waits for something that asking podman tells, asking twice a second (each question starts a process). */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static Result exec(Duration timeout, List<String> command) {
        try {
            File out = File.createTempFile("podman-", ".out");
            File err = File.createTempFile("podman-", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not end within " + timeout);
                }
                return new Result(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                        Files.readString(err.toPath(), StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out.toPath());
                Files.deleteIfExists(err.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
