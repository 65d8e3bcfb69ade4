package kz.qaqpa.gateway.appeals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directive's public page, where a filtering node's 451 points ({@code rel="blocked-by"}): anyone
 * reads what it is and whether it is in force, as JSON or in a browser, by a number that may hold a
 * slash; never who signed it, what it restricts, or anything of an appeal.
 */
class PublicDirectiveTest {

    private static final String NUMBER = "12-3/456";

    @TempDir
    Path dir;

    private SigningGateway authority;

    @BeforeEach
    void start() throws Exception {
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        authority.submit(DirectiveJson.restrict(NUMBER).domain("casino.kz", true));
    }

    @AfterEach
    void stop() {
        authority.close();
    }

    @Test
    void anyoneReadsWhatADirectiveIsAndWhetherItIsInForceButNotWhatItRestricts() throws Exception {
        HttpResponse<String> json = get(NUMBER, "application/json", "");
        assertThat(json.statusCode()).isEqualTo(200);
        JsonObject directive = new JsonObject(json.body()).getJsonArray("directives").getJsonObject(0);
        assertThat(directive.getString("number")).isEqualTo(NUMBER);
        assertThat(directive.getString("action")).isEqualTo("RESTRICT");
        assertThat(directive.getString("status")).isEqualTo("ACTIVE");
        assertThat(directive.getString("appeal")).isEqualTo("/appeal?directive=12-3%2F456");
        assertThat(directive.getJsonObject("authority").getString("bin")).isNotBlank();
        assertThat(json.body()).as("no targets, no signer, no document").doesNotContain("casino.kz")
                .doesNotContain("signer").doesNotContain("document");

        HttpResponse<String> page = get(NUMBER, "text/html,application/xhtml+xml", "?lang=ru");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("№ 12-3/456").contains("Доступ ограничен").contains("Подайте обращение")
                .doesNotContain("casino.kz");

        authority.submit(DirectiveJson.restore("12-3/457", NUMBER));
        JsonObject cancelled = new JsonObject(get(NUMBER, "application/json", "").body()).getJsonArray("directives").getJsonObject(0);
        assertThat(cancelled.getString("status")).isEqualTo("CANCELLED");
        assertThat(cancelled.containsKey("appeal")).as("nothing to appeal against").isFalse();
        assertThat(get(NUMBER, "text/html", "?lang=kk").body()).contains("Нұсқаманың күші жойылды").doesNotContain("Жолданым беріңіз");
        assertThat(get("12-3/457", "text/html", "?lang=en").body()).contains("Access resumed");
    }

    @Test
    void anUnknownNumberIsNotFound() throws Exception {
        HttpResponse<String> json = get("99/99", "application/json", "");
        assertThat(json.statusCode()).isEqualTo(404);
        assertThat(json.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        HttpResponse<String> page = get("99/99", "text/html", "?lang=en");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("No directive has this number");
    }

    private HttpResponse<String> get(String number, String accept, String query) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + authority.gateway.httpPort()
                        + "/public/v1/directives/" + URLEncoder.encode(number, StandardCharsets.UTF_8) + query))
                .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
