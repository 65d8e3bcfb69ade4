package kz.qaqpa.gateway.pull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A resolver daemon a test runs in the foreground, its output in a log file; stopped on close. */
class ResolverProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    /** Starts {@code command}, its output and errors to {@code log}. */
    ResolverProcess(List<String> command, Path log) throws IOException {
        this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        this.log = log;
    }

    /** What the daemon has logged so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
