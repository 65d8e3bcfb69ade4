package kz.qaqpa.adapters.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import kz.qaqpa.adapters.recipient.ChannelSettings;
import kz.qaqpa.adapters.recipient.Endpoint;
import kz.qaqpa.directives.signature.DocumentSigner;

/**
 * Delivers by HTTP(S) POST to the recipient's {@code url} (Vert.x HTTP client). The body is JSON:
 * the directive as a JSON object for reading, and — for verifying — the document exactly as signed
 * and the authority's CMS signature, both in base64:
 *
 * <pre>{"idempotencyKey": "…", "directive": {…}, "document": "base64", "authoritySignature": "base64"}</pre>
 *
 * A RESTORE that carries the restoration order adds {@code "orderLetter": {"text": "…", "pdf": "base64"}}
 * ({@link OrderLetter}), the order as people read it; the order itself is in the signed document.
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
    /** Of a recipient's answer only the status counts; this much of its body is read, then the connection is cut. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    /** The event loop every exchange runs on. */
    private final Context context;
    private final HttpClient client;
    /** Clients that trust one recipient's own certificate, by that certificate. */
    private final Map<String, HttpClient> pinned = new ConcurrentHashMap<>();
    private final DocumentSigner gatewaySigner;
    private final Duration timeout;

    public WebhookChannel(Vertx vertx, DocumentSigner gatewaySigner, Duration timeout) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.timeout = timeout;
        this.gatewaySigner = gatewaySigner;
        this.client = vertx.createHttpClient(options());
    }

    private HttpClientOptions options() {
        return new HttpClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setVerifyHost(true)
                .setDecompressionSupported(false);
    }

    /** The JVM's trust store, or only the recipient's {@code trustedCertificate} when it gave one. */
    private HttpClient client(Endpoint.Webhook webhook) {
        if (webhook.trustedCertificate().isEmpty()) {
            return client;
        }
        return pinned.computeIfAbsent(webhook.trustedCertificate().get(), certificate -> vertx.createHttpClient(options()
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(certificate)))));
    }

    /**
     * One attempt, bounded whatever the recipient's endpoint does: it ends within {@code timeout}
     * (the request is then reset, not left running), and at most {@value #MAX_ANSWER_BYTES} of its
     * answer are read — an endpoint that answers with an endless body gets its status counted and
     * its connection cut.
     */
    @Override
    public void deliver(Parcel parcel, ChannelSettings settings) throws DeliveryException {
        post(body(parcel), parcel.idempotencyKey(), settings);
    }

    /** The reminder's JSON, signed by the gateway's key like a delivery's body, under its own idempotency key. */
    @Override
    public void remind(Reminder reminder, ChannelSettings settings) throws DeliveryException {
        post(reminder.json(), reminder.key(), settings);
    }

    private void post(byte[] body, String idempotencyKey, ChannelSettings settings) throws DeliveryException {
        String signature = Base64.getEncoder().encodeToString(gatewaySigner.sign(body, false));
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(timeout.toMillis(), id -> reset(sent.get()));
        if (!(settings.endpoint() instanceof Endpoint.Webhook webhook)) {
            throw new IllegalArgumentException("not a webhook recipient: " + settings.kind());
        }
        HttpClient http = client(webhook);
        Promise<Integer> answered = Promise.promise();
        // The whole exchange runs on one event loop: a response's body handlers are then set before
        // the loop reads on, and no part of the body (nor its end) can slip past them.
        context.runOnContext(start -> http.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setAbsoluteURI(webhook.url().toString()).setFollowRedirects(false))
                .compose(request -> {
                    sent.set(request);
                    return request.putHeader("Content-Type", "application/json")
                            .putHeader("User-Agent", "qaqpa-gateway")
                            .putHeader(IDEMPOTENCY_HEADER, idempotencyKey)
                            .putHeader(SIGNATURE_HEADER, signature)
                            .send(Buffer.buffer(body));
                })
                .compose(response -> statusOf(response, sent.get()))
                .onComplete(answered));
        int status;
        try {
            status = answered.future().toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reset(sent.get());
            throw new DeliveryException("interrupted", e);
        } catch (ExecutionException e) {
            throw new DeliveryException(e.getCause() instanceof StreamResetException
                    ? "no whole answer within " + timeout.toMillis() + " ms" : describe(e.getCause()), e.getCause());
        } catch (TimeoutException | IllegalArgumentException e) {
            reset(sent.get());
            throw new DeliveryException(e instanceof TimeoutException
                    ? "no answer within " + timeout.toMillis() + " ms" : "not a URL: " + e.getMessage());
        } finally {
            vertx.cancelTimer(timer);
        }
        if (status / 100 != 2) {
            throw new DeliveryException("HTTP " + status);
        }
    }

    /** The answer's status once its body is read, or once {@value #MAX_ANSWER_BYTES} of it were and the rest cut off. */
    private static Future<Integer> statusOf(HttpClientResponse response, HttpClientRequest request) {
        Promise<Integer> status = Promise.promise();
        long[] read = {0};
        response.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > MAX_ANSWER_BYTES && status.tryComplete(response.statusCode())) {
                request.reset();
            }
        });
        response.exceptionHandler(status::tryFail);
        response.endHandler(end -> status.tryComplete(response.statusCode()));
        return status.future();
    }

    private static void reset(HttpClientRequest request) {
        if (request != null) {
            request.reset();
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
            OrderLetter.of(parcel).ifPresent(letter -> body.putObject("orderLetter").put("text", letter.text())
                    .put("pdf", Base64.getEncoder().encodeToString(letter.pdf())));
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
        pinned.values().forEach(HttpClient::close);
    }
}
