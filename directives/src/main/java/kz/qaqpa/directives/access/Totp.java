package kz.qaqpa.directives.access;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;

/**
 * Time-based one-time codes (RFC 6238: HMAC-SHA1, six digits, 30-second steps — what every
 * authenticator app reads from an {@code otpauth://} link), computed by java-otp. A code is taken
 * for the step it was made in or the one before or after (clocks drift); which step it matched is
 * returned, so that the caller can refuse the same step twice.
 */
final class Totp {

    private static final int SECRET_BYTES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TimeBasedOneTimePasswordGenerator GENERATOR = new TimeBasedOneTimePasswordGenerator();

    private Totp() {
    }

    /** A new shared secret, Base32 without padding (as authenticator apps take it). */
    static String newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return Base32.toBase32String(secret).replace("=", "");
    }

    /** The link an authenticator app reads (usually as a QR code) to set itself up for this secret. */
    static String enrolmentLink(String issuer, String account, String secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=6&period=30";
    }

    /** The code for {@code secret} at {@code at}, six digits. */
    static String code(String secret, Instant at) {
        try {
            return "%06d".formatted(GENERATOR.generateOneTimePassword(key(secret), at));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("a TOTP secret is not a key: " + e.getMessage(), e);
        }
    }

    /** The time step of {@code at}. */
    static long step(Instant at) {
        return at.getEpochSecond() / GENERATOR.getTimeStep().getSeconds();
    }

    /** The step in which {@code code} was made, within one step of {@code now}; empty when it is not a code of now. */
    static OptionalLong matchingStep(String secret, String code, Instant now) {
        if (code == null || !code.strip().matches("\\d{6}")) {
            return OptionalLong.empty();
        }
        long seconds = GENERATOR.getTimeStep().getSeconds();
        for (int drift = -1; drift <= 1; drift++) {
            Instant at = now.plusSeconds(drift * seconds);
            if (code(secret, at).equals(code.strip())) {
                return OptionalLong.of(step(at));
            }
        }
        return OptionalLong.empty();
    }

    private static SecretKeySpec key(String secret) {
        String padded = secret.toUpperCase(Locale.ROOT);
        while (padded.length() % 8 != 0) {
            padded += "=";
        }
        return new SecretKeySpec(Base32.decode(padded), GENERATOR.getAlgorithm());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
