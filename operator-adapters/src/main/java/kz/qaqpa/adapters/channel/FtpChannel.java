package kz.qaqpa.adapters.channel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import kz.qaqpa.adapters.recipient.ChannelSettings;
import kz.qaqpa.adapters.recipient.Endpoint;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * Drops the directive on the recipient's FTP server (Apache Commons Net): {@code <number>.p7s}, the
 * authority's signature, then {@code <number>.json}, the document exactly as signed — each uploaded
 * under a temporary name and renamed, so the recipient never reads a half-written file, and the
 * {@code .json} appears last, when its signature is there already. A RESTORE that carries the
 * restoration order comes with it first, as {@code <number>.order.txt} and {@code <number>.order.pdf}
 * ({@link OrderLetter}). Passive mode, binary. With
 * {@code tls} the session is explicit FTPS (AUTH TLS, PROT P) and the server's certificate is
 * checked — against {@code trustedCertificate} (PEM) when the recipient gave one, otherwise against
 * the JVM's trust store — and so is its host name.
 */
public final class FtpChannel implements Channel {

    private final Duration timeout;

    public FtpChannel(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void deliver(Parcel parcel, ChannelSettings settings) throws DeliveryException {
        if (!(settings.endpoint() instanceof Endpoint.Ftp server)) {
            throw new IllegalArgumentException("not an FTP recipient: " + settings.kind());
        }
        FTPClient ftp = server.tls() ? tlsClient(server) : new FTPClient();
        ftp.setConnectTimeout((int) timeout.toMillis());
        ftp.setDefaultTimeout((int) timeout.toMillis());
        ftp.setDataTimeout(timeout);
        String host = server.host();
        try {
            ftp.connect(host, server.port().orElse(FTP.DEFAULT_PORT));
            expect(ftp, FTPReply.isPositiveCompletion(ftp.getReplyCode()), "connect to " + host);
            ftp.setSoTimeout((int) timeout.toMillis());
            if (ftp instanceof FTPSClient ftps) {
                ftps.execPBSZ(0);
                ftps.execPROT("P");
            }
            expect(ftp, ftp.login(server.user(), server.password()), "log in as " + server.user());
            ftp.enterLocalPassiveMode();
            expect(ftp, ftp.setFileType(FTP.BINARY_FILE_TYPE), "switch to binary");
            if (server.directory().isPresent()) {
                String directory = server.directory().get();
                expect(ftp, ftp.changeWorkingDirectory(directory), "change to " + directory);
            }
            Optional<OrderLetter> letter = OrderLetter.of(parcel);
            if (letter.isPresent()) {
                upload(ftp, parcel, parcel.fileStem() + ".order.txt", letter.get().text().getBytes(StandardCharsets.UTF_8));
                upload(ftp, parcel, parcel.fileStem() + ".order.pdf", letter.get().pdf());
            }
            upload(ftp, parcel, parcel.fileStem() + ".p7s", parcel.authoritySignature());
            upload(ftp, parcel, parcel.fileStem() + ".json", parcel.document());
            ftp.logout();
        } catch (IOException e) {
            throw new DeliveryException("FTP " + host + ": " + e, e);
        } finally {
            try {
                if (ftp.isConnected()) {
                    ftp.disconnect();
                }
            } catch (IOException ignored) {
                // the files are in place or the attempt failed already
            }
        }
    }

    private static void upload(FTPClient ftp, Parcel parcel, String name, byte[] content) throws IOException, DeliveryException {
        String temporary = "." + name + "." + parcel.deliveryId() + ".part";
        expect(ftp, ftp.storeFile(temporary, new ByteArrayInputStream(content)), "upload " + temporary);
        if (!ftp.rename(temporary, name)) {
            // A repeated attempt finds the file of the first one; replace it with the same bytes.
            ftp.deleteFile(name);
            expect(ftp, ftp.rename(temporary, name), "rename " + temporary + " to " + name);
        }
    }

    private static void expect(FTPClient ftp, boolean ok, String what) throws DeliveryException {
        if (!ok) {
            throw new DeliveryException("FTP: cannot " + what + ": " + ftp.getReplyString().strip());
        }
    }

    private static FTPSClient tlsClient(Endpoint.Ftp server) {
        FTPSClient ftps = new FTPSClient(false);
        ftps.setEndpointCheckingEnabled(true);
        server.trustedCertificate().ifPresent(pem -> ftps.setTrustManager(TrustedCertificate.trustManager(pem)));
        return ftps;
    }
}
