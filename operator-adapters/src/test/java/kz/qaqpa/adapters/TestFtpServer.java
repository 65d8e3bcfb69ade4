package kz.qaqpa.adapters;

import java.nio.file.Path;
import java.util.List;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.impl.DefaultFtpServer;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/** A real FTP server (Apache MINA FtpServer) on loopback with one user, optionally with explicit TLS. */
public final class TestFtpServer implements AutoCloseable {

    public static final String USER = "operator";
    public static final String PASSWORD = "s3cret";

    private final FtpServer server;
    private final int port;

    /**
     * @param home     the user's home directory
     * @param keyStore a PKCS#12 key store for explicit TLS, or null for plain FTP
     */
    public TestFtpServer(Path home, Path keyStore, String keyStorePassword) throws FtpException {
        FtpServerFactory factory = new FtpServerFactory();
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(0);
        if (keyStore != null) {
            SslConfigurationFactory ssl = new SslConfigurationFactory();
            ssl.setKeystoreFile(keyStore.toFile());
            ssl.setKeystoreType("PKCS12");
            ssl.setKeystorePassword(keyStorePassword);
            listener.setSslConfiguration(ssl.createSslConfiguration());
            listener.setImplicitSsl(false);
        }
        factory.addListener("default", listener.createListener());
        UserManager users = new PropertiesUserManagerFactory().createUserManager();
        BaseUser user = new BaseUser();
        user.setName(USER);
        user.setPassword(PASSWORD);
        user.setHomeDirectory(home.toString());
        user.setAuthorities(List.of(new WritePermission()));
        users.save(user);
        factory.setUserManager(users);
        server = factory.createServer();
        server.start();
        port = ((DefaultFtpServer) server).getListener("default").getPort();
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stop();
    }
}
