package kz.qaqpa.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.access.Officials;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.TestGateways;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in headless Chromium, the way an official works: the administrator adds a reviewer;
 * the reviewer signs in with a password and a one-time code, opens the oldest appeal, records the
 * findings and that the violations were eliminated, confirms removal, downloads the order's PDF and
 * the RESTORE, takes back the RESTORE signed (by openssl, standing in for the official's own key)
 * and sees the appeal become RESTORED as the operator acknowledges; the auditor finds each step in
 * the access log under the reviewer's name. The main pages are saved as screenshots in
 * {@code target/console-screenshots}.
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    @TempDir
    static Path dir;
    private static SigningGateway gateway;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER))
                .as("apt-get install chromium chromium-driver (.ci/run does)").isTrue();
        gateway = new SigningGateway(dir, DeliverySettings.defaults());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000", "--lang=kk");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(dir.resolve("chromedriver.log").toFile()).build(), options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aReviewerAddedByTheAdministratorTakesTheOldestAppealToItsRestoration() throws Exception {
        String operator = gateway.register("op-a", "OPERATOR", "PULL_ONLY", null);
        gateway.submit(DirectiveJson.restrict("CON-1").domain("console.kz", true));
        gateway.submit(DirectiveJson.restrict("CON-2").domain("later.kz", true));
        String oldest = appeal("console.kz", "CON-1");
        appeal("later.kz", "CON-2");

        // The administrator adds the reviewer in the console.
        SigningGateway.Enrolled chief = gateway.official("chief", OfficialRole.ADMINISTRATOR);
        signIn(chief.name(), chief.password(), chief.totpSecret());
        browser.get(base() + "/console/officials?lang=kk");
        browser.findElement(By.id("name")).sendKeys("aigerim");
        browser.findElement(By.id("displayName")).sendKeys("Айгерім Сейітова");
        browser.findElement(By.id("password")).sendKeys("Айгерімнің ұзын құпиясөзі");
        browser.findElement(By.id("role-REVIEWER")).click();
        follow(browser.findElement(By.id("addSend")));
        String secret = browser.findElement(By.id("totpSecret")).getText();
        screenshot("officials");
        follow(browser.findElement(By.id("signout")));

        // The reviewer signs in with the password and the code of the app the secret went into.
        signIn("aigerim", "Айгерімнің ұзын құпиясөзі", secret);
        assertThat(browser.findElement(By.id("who")).getText()).contains("Айгерім Сейітова");
        screenshot("today");
        follow(browser.findElement(By.id("nav-appeals")));
        List<WebElement> rows = browser.findElements(By.cssSelector("#queue tbody tr"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getAttribute("data-appeal")).as("ordered by deadline: the oldest first").isEqualTo(oldest);
        screenshot("appeals");
        follow(rows.get(0).findElement(By.tagName("a")));
        assertThat(browser.findElement(By.id("appellant")).getText()).contains("Айгүл Серікқызы", "850315400124");

        new Select(browser.findElement(By.id("removed-0"))).selectByValue("yes");
        follow(browser.findElement(By.id("findingsSend")));
        assertThat(browser.findElement(By.id("done")).getText()).isNotBlank();
        browser.findElement(By.id("violationsNote")).sendKeys("Материал жойылды");
        follow(browser.findElement(By.id("violationsSend")));
        browser.findElement(By.id("confirm")).click();
        follow(browser.findElement(By.id("decisionSend")));
        assertThat(browser.findElement(By.id("status")).getAttribute("data-status")).isEqualTo("REMOVAL_CONFIRMED");
        screenshot("appeal");

        // The order's PDF and the RESTORE to sign, downloaded with the reviewer's session.
        String cookie = "qaqpa-console=" + browser.manage().getCookieNamed("qaqpa-console").getValue();
        byte[] pdf = download(browser.findElement(By.id("orderPdf")).getAttribute("href"), cookie);
        try (var document = Loader.loadPDF(pdf)) {
            assertThat(new PDFTextStripper().getText(document)).contains("CON-1", oldest);
        }
        byte[] restore = download(browser.findElement(By.id("restoreDraft")).getAttribute("href"), cookie);
        JsonObject draft = new JsonObject(new String(restore, StandardCharsets.UTF_8));
        assertThat(draft.getString("action")).isEqualTo("RESTORE");
        assertThat(draft.getString("appeal")).isEqualTo(oldest);

        // Signed on the official's machine (openssl here), taken back by the console and submitted.
        Path signed = dir.resolve("restore.p7m");
        Files.write(signed, gateway.pki.signAttached(gateway.signer, restore, Encoding.DER));
        browser.findElement(By.id("signedFile")).sendKeys(signed.toAbsolutePath().toString());
        follow(browser.findElement(By.id("signedSend")));
        assertThat(browser.findElement(By.id("done")).getText()).contains(draft.getString("number"));

        // The operator resumes access and says so; the appeal is RESTORED.
        long restoreId = new JsonObject(gateway.as(SigningGateway.ADMIN, "GET", "/api/v1/directives?number="
                + draft.getString("number"), null).body()).getJsonArray("items").getJsonObject(0).getLong("id");
        HttpResponse<String> ack = gateway.as(operator, "POST", "/api/v1/acks", new JsonObject().put("directiveId", restoreId)
                .put("status", "RESUMED").put("at", Instant.now().toString()));
        assertThat(ack.statusCode()).as(ack.body()).isIn(200, 201);
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("status")).getAttribute("data-status")).isEqualTo("RESTORED");

        // The directive's page: the RESTORE's delivery to the operator, acknowledged.
        follow(browser.findElement(By.id("nav-directives")));
        follow(browser.findElement(By.linkText(draft.getString("number"))));
        assertThat(browser.findElement(By.id("action")).getText()).isEqualTo("RESTORE");
        assertThat(browser.findElement(By.cssSelector("#deliveries tr[data-recipient='op-a']")).getText()).contains("RESUMED");
        byte[] original = download(browser.findElement(By.id("signedOriginal")).getAttribute("href"), cookie);
        assertThat(original).as("the signed original as it was taken back").isEqualTo(Files.readAllBytes(signed));
        screenshot("directive");
        follow(browser.findElement(By.id("signout")));

        // The auditor reads every step under the reviewer's name.
        SigningGateway.Enrolled auditor = gateway.official("auditor", OfficialRole.AUDITOR);
        signIn(auditor.name(), auditor.password(), auditor.totpSecret());
        browser.get(base() + "/console/audit?lang=kk&by=aigerim");
        List<String> events = browser.findElements(By.cssSelector("#records tbody tr td:nth-child(3)")).stream()
                .map(WebElement::getText).toList();
        assertThat(events).containsSubsequence("SIGN_IN", "APPEAL_READ", "APPEAL_FINDINGS", "APPEAL_VIOLATIONS_ELIMINATED",
                "APPEAL_DECIDED", "APPEAL_ORDER_DRAFTED", "APPEAL_RESTORE_SUBMITTED");
        assertThat(browser.findElements(By.cssSelector("#records tbody tr td:nth-child(4)")).stream().map(WebElement::getText))
                .containsOnly("aigerim");
        screenshot("audit");
        JsonArray added = new JsonObject(gateway.as(SigningGateway.ADMIN, "GET", "/api/v1/audit/records?event=OFFICIAL_ADDED&by=chief",
                null).body()).getJsonArray("records");
        assertThat(added).singleElement().satisfies(r -> assertThat(((JsonObject) r).getString("details")).contains("aigerim"));
    }

    private static void signIn(String name, String password, String secret) {
        browser.get(base() + "/console/signin?lang=kk");
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("code")).sendKeys(Officials.currentCode(secret, Instant.now()));
        if (name.equals("chief")) {
            screenshot("signin");
        }
        follow(browser.findElement(By.id("send")));
        assertThat(browser.getCurrentUrl()).as("signed in as %s: %s", name, browser.findElements(By.id("error")).stream()
                .map(WebElement::getText).toList()).endsWith("/console");
    }

    /**
     * Clicks a link or a form's button and waits for the page it leads to: the click returns before
     * the browser has left the page, so the next look would otherwise find the old one.
     */
    private static void follow(WebElement target) {
        org.openqa.selenium.JavascriptExecutor script = (org.openqa.selenium.JavascriptExecutor) browser;
        script.executeScript("window.qaqpaLeft = true");
        target.click();
        // A new document has no such mark; and it is whole once loaded.
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> Boolean.TRUE.equals(script.executeScript(
                "return window.qaqpaLeft === undefined && document.readyState === 'complete'")));
    }

    private static String appeal(String resource, String directive) throws Exception {
        HttpResponse<String> filed = TestGateways.send(gateway.gateway, "POST", "/api/v1/appeals", new JsonObject()
                .put("kind", "OWNER").put("personalDataAcknowledged", true).put("personName", "Айгүл Серікқызы")
                .put("iin", "850315400124").put("email", "owner@example.kz").put("language", "kk").put("resource", resource)
                .put("directiveNumber", directive).put("links", new JsonArray().add("https://" + resource + "/removed"))
                .encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        return new JsonObject(filed.body()).getString("number");
    }

    private static byte[] download(String url, String cookie) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Cookie", cookie).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + gateway.gateway.httpPort();
    }
}
