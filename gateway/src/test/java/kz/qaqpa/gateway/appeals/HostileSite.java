package kz.qaqpa.gateway.appeals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * A site an appellant links to in order to hurt the gateway: a body that never ends, one that drips
 * a byte at a time, a gzip bomb. It counts what it wrote and how many answers are still open, so a
 * test sees when the gateway hung up.
 */
final class HostileSite implements AutoCloseable {

    /** 256 MiB of zeros, gzip'd to about 256 KiB. */
    private static final long BOMB_SIZE = 256L << 20;

    final AtomicLong endlessBytesWritten = new AtomicLong();
    final AtomicInteger openAnswers = new AtomicInteger();
    private final HttpServer server;
    private final byte[] bomb;

    HostileSite(String host) throws IOException {
        bomb = gzipOfZeros(BOMB_SIZE);
        server = HttpServer.create(new InetSocketAddress(host, 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/endless", exchange -> answer(exchange, this::endless));
        server.createContext("/drip", exchange -> answer(exchange, this::drip));
        server.createContext("/gzip-bomb", exchange -> {
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, bomb.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bomb);
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private interface Body {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    private void answer(HttpExchange exchange, Body body) throws IOException {
        openAnswers.incrementAndGet();
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(200, 0); // chunked, no length: the client cannot know the end
            body.write(out);
        } catch (IOException e) {
            // The gateway hung up: what the test wants to see.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            openAnswers.decrementAndGet();
            exchange.close();
        }
    }

    private void endless(OutputStream out) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        while (true) {
            out.write(chunk);
            out.flush();
            endlessBytesWritten.addAndGet(chunk.length);
        }
    }

    private void drip(OutputStream out) throws IOException, InterruptedException {
        while (true) {
            out.write('x');
            out.flush();
            TimeUnit.MILLISECONDS.sleep(200); // the site's pace: a byte now and then, for ever
        }
    }

    private static byte[] gzipOfZeros(long size) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < size; written += zeros.length) {
                gzip.write(zeros);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
