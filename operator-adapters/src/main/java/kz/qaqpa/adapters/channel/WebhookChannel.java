package kz.qaqpa.adapters.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kz.qaqpa.adapters.recipient.ChannelSettings;
import kz.qaqpa.directives.signature.DocumentSigner;

/**
 * Delivers by HTTP(S) POST to the recipient's {@code url} (Vert.x web client). The body is JSON:
 * the directive as a JSON object for reading, and — for verifying — the document exactly as signed
 * and the authority's CMS signature, both in base64:
 *
 * <pre>{"idempotencyKey": "…", "directive": {…}, "document": "base64", "authoritySignature": "base64"}</pre>
 *
 * Headers: {@code Idempotency-Key} (the same on every attempt of a delivery) and
 * {@value #SIGNATURE_HEADER}, a detached CMS signature by the gateway's own key over the body's
 * bytes, so the recipient knows the POST came from Qaqpa. Any 2xx is delivered; anything else, a
 * timeout or a broken connection is a failed attempt. An https URL is checked against the JVM's
 * trust store and the host name, or against the recipient's {@code trustedCertificate} (PEM).
 */
public final class WebhookChannel implements Channel, AutoCloseable {

    public static final String SIGNATURE_HEADER = "Qaqpa-Signature";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final WebClient client;
    /** Clients that trust one recipient's own certificate, by that certificate. */
    private final Map<String, WebClient> pinned = new ConcurrentHashMap<>();
    private final DocumentSigner gatewaySigner;
    private final Duration timeout;

    public WebhookChannel(Vertx vertx, DocumentSigner gatewaySigner, Duration timeout) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.gatewaySigner = gatewaySigner;
        this.client = WebClient.create(vertx, options());
    }

    private WebClientOptions options() {
        return new WebClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setUserAgent("qaqpa-gateway")
                .setFollowRedirects(false)
                .setVerifyHost(true);
    }

    /** The JVM's trust store, or only the recipient's {@code trustedCertificate} when it gave one. */
    private WebClient client(ChannelSettings settings) {
        String pem = settings.text("trustedCertificate");
        if (pem == null) {
            return client;
        }
        return pinned.computeIfAbsent(pem, certificate -> WebClient.create(vertx, options()
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(certificate)))));
    }

    @Override
    public void deliver(Parcel parcel, ChannelSettings settings) throws DeliveryException {
        byte[] body = body(parcel);
        String signature = Base64.getEncoder().encodeToString(gatewaySigner.sign(body, false));
        HttpResponse<Buffer> response;
        try {
            response = client(settings).postAbs(settings.text("url"))
                    .timeout(timeout.toMillis())
                    .putHeader("Content-Type", "application/json")
                    .putHeader(IDEMPOTENCY_HEADER, parcel.idempotencyKey())
                    .putHeader(SIGNATURE_HEADER, signature)
                    .sendBuffer(Buffer.buffer(body))
                    .toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted", e);
        } catch (ExecutionException e) {
            throw new DeliveryException(describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new DeliveryException("no answer within " + timeout.multipliedBy(2).toMillis() + " ms");
        }
        if (response.statusCode() / 100 != 2) {
            throw new DeliveryException("HTTP " + response.statusCode());
        }
    }

    static byte[] body(Parcel parcel) throws DeliveryException {
        ObjectNode body = JSON.createObjectNode();
        body.put("idempotencyKey", parcel.idempotencyKey());
        try {
            JsonNode directive = JSON.readTree(parcel.document());
            body.set("directive", directive);
            body.put("document", Base64.getEncoder().encodeToString(parcel.document()));
            body.put("authoritySignature", Base64.getEncoder().encodeToString(parcel.authoritySignature()));
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new DeliveryException("the stored document is not JSON: " + e.getMessage(), e);
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() {
        client.close();
        pinned.values().forEach(WebClient::close);
    }
}
