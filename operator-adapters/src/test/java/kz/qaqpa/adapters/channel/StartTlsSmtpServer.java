package kz.qaqpa.adapters.channel;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Just enough of an SMTP server to see what a client sends and whether inside TLS: it offers
 * STARTTLS (or, as a man in the middle that strips it, does not), takes AUTH PLAIN and one message.
 * Every command is recorded with whether it came inside TLS.
 */
final class StartTlsSmtpServer implements AutoCloseable {

    /** A command the client sent, and whether TLS protected it. */
    record Command(String line, boolean insideTls) {
    }

    final List<Command> commands = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    private final ServerSocket listener;
    private final SSLContext tls;
    private final boolean offerStartTls;

    StartTlsSmtpServer(ServerCertificate certificate, boolean offerStartTls) throws Exception {
        this.offerStartTls = offerStartTls;
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(certificate.keyStore().toFile())) {
            keys.load(in, certificate.password().toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, certificate.password().toCharArray());
        tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "starttls-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (Socket plain = listener.accept()) {
                session(plain);
            } catch (IOException e) {
                // the client went away, or the server is closing
            }
        }
    }

    private void session(Socket plain) throws IOException {
        Socket socket = plain;
        boolean insideTls = false;
        BufferedReader in = reader(socket);
        OutputStream out = socket.getOutputStream();
        write(out, "220 localhost ESMTP");
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            commands.add(new Command(line, insideTls));
            String verb = line.split(" ", 2)[0].toUpperCase();
            switch (verb) {
                case "EHLO" -> write(out, offerStartTls && !insideTls ? "250-localhost\r\n250-STARTTLS\r\n250 AUTH PLAIN"
                        : "250-localhost\r\n250 AUTH PLAIN");
                case "STARTTLS" -> {
                    if (!offerStartTls) {
                        write(out, "502 not here");
                        continue;
                    }
                    write(out, "220 go ahead");
                    SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
                    secured.setUseClientMode(false);
                    secured.startHandshake();
                    socket = secured;
                    insideTls = true;
                    in = reader(socket);
                    out = socket.getOutputStream();
                }
                case "AUTH" -> {
                    if (line.trim().split(" ").length == 2) { // AUTH PLAIN, the credentials on the next line
                        write(out, "334 ");
                        commands.add(new Command("AUTH credentials: " + in.readLine(), insideTls));
                    }
                    write(out, "235 ok");
                }
                case "MAIL", "RCPT" -> write(out, "250 ok");
                case "DATA" -> {
                    write(out, "354 go");
                    StringBuilder message = new StringBuilder();
                    for (String data = in.readLine(); data != null && !data.equals("."); data = in.readLine()) {
                        message.append(data).append('\n');
                    }
                    messages.add(message.toString());
                    write(out, "250 queued");
                }
                case "QUIT" -> {
                    write(out, "221 bye");
                    return;
                }
                default -> write(out, "500 what");
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
