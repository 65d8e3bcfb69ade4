package kz.qaqpa.gateway.appeals;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A resource owner in a real browser: headless Chromium (Debian's chromium and chromium-driver,
 * installed by .ci/run) fills the appeal form in Kazakh, submits it, and reads the registration
 * number and deadline; the look-up page leads to the form.
 */
class AppealPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;

    private static SigningGateway authority;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER))
                .as("apt-get install chromium chromium-driver (.ci/run does)").isTrue();
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        authority.submit(DirectiveJson.restrict("WEB-1").domain("web.kz", true));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (authority != null) {
            authority.close();
        }
    }

    @Test
    void anOwnerFillsTheFormInKazakhAndReadsTheNumberAndTheDeadline() {
        browser.get(base() + "/lookup?lang=kk&q=www.web.kz");
        assertThat(browser.findElement(By.id("answer")).getText()).isEqualTo("Қол жеткізу шектелген");
        browser.findElement(By.linkText("Құқыққа қарсы материалдар жойылды ма? Қол жеткізуді қайта бастау туралы жолданым беріңіз")).click();

        assertThat(browser.findElement(By.id("resource")).getAttribute("value")).isEqualTo("www.web.kz");
        assertThat(browser.findElement(By.id("directiveNumber")).getAttribute("value")).isEqualTo("WEB-1");
        browser.findElement(By.id("personName")).sendKeys("Айгүл Серікқызы");
        browser.findElement(By.id("iin")).sendKeys("990740000029");
        browser.findElement(By.id("email")).sendKeys("owner@example.kz");
        browser.findElement(By.id("links")).sendKeys("https://www.web.kz/removed-page");
        browser.findElement(By.id("message")).sendKeys("Материал жойылды.");
        // Seed 002 art. 44: what is collected, why and for how long, before the owner agrees.
        assertThat(browser.findElement(By.id("personalData")).getText()).contains("ЖСН", "5 жыл", "жойылады");
        browser.findElement(By.id("personalDataAcknowledged")).click();
        browser.findElement(By.id("send")).click();

        String number = new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("number"))).getText();
        assertThat(browser.getTitle()).isEqualTo("Жолданым тіркелді");
        assertThat(number).matches("APL-\\d{4}-\\d{6}");
        assertThat(browser.findElement(By.id("deadline")).getText()).endsWith("23:59 (UTC+5)");

        browser.findElement(By.id("status")).click();
        // The status in words of the page's language, not a code.
        assertThat(browser.findElement(By.id("state")).getText()).isIn("Тіркелді", "Мониторинг жүргізілуде");
    }

    /** A foreign owner has no IIN: the form takes a passport and its country, and registers the appeal with its deadline. */
    @Test
    void aForeignOwnerFillsTheFormInEnglishWithAPassportAndReadsTheRegisteredDeadline() throws Exception {
        browser.get(base() + "/appeal?lang=en&resource=web.kz&directive=WEB-1");
        browser.findElement(By.id("resource")).clear();
        browser.findElement(By.id("resource")).sendKeys("web.kz");
        browser.findElement(By.id("directiveNumber")).clear();
        browser.findElement(By.id("directiveNumber")).sendKeys("WEB-1");
        browser.findElement(By.id("personName")).sendKeys("Anna Schmidt");
        new Select(browser.findElement(By.id("documentType"))).selectByVisibleText("Passport");
        browser.findElement(By.id("documentNumber")).sendKeys("C01X00T47");
        browser.findElement(By.id("documentCountry")).sendKeys("de");
        browser.findElement(By.id("email")).sendKeys("owner@example.de");
        browser.findElement(By.id("links")).sendKeys("https://web.kz/removed-page");
        browser.findElement(By.id("personalDataAcknowledged")).click();
        browser.findElement(By.id("send")).click();

        String number = new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("number"))).getText();
        assertThat(number).matches("APL-\\d{4}-\\d{6}");
        assertThat(browser.findElement(By.id("deadline")).getText()).endsWith("23:59 (UTC+5)");
        JsonObject seen = new JsonObject(authority.as(SigningGateway.ADMIN, "GET", "/api/v1/appeals/" + number, null).body());
        assertThat(seen.getJsonObject("appellant").getJsonObject("foreignDocument"))
                .isEqualTo(new JsonObject().put("type", "PASSPORT").put("number", "C01X00T47").put("country", "DE"));

        // Evidence: the owner attaches a scan of the passport page on the status page, as a file.
        Path scan = dir.resolve("passport.pdf");
        java.nio.file.Files.writeString(scan, "%PDF-1.4\n% passport page\n%%EOF\n");
        browser.findElement(By.id("status")).click();
        browser.findElement(By.id("file")).sendKeys(scan.toAbsolutePath().toString());
        browser.findElement(By.id("attachSend")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("files"), "passport.pdf"));
        JsonObject withFile = new JsonObject(authority.as(SigningGateway.ADMIN, "GET", "/api/v1/appeals/" + number, null).body());
        assertThat(withFile.getJsonArray("attachments").getJsonObject(0).getString("sha256"))
                .isEqualTo(kz.qaqpa.blocklist.model.Sha256.hex(java.nio.file.Files.readAllBytes(scan)));
        try (var left = java.nio.file.Files.list(dir.resolve("data").resolve("uploads"))) {
            assertThat(left).as("nothing left of the upload on disk").isEmpty();
        }
    }

    @Test
    void aWrongFormComesBackWithWhatIsWrongAndNothingTheOwnerTypedRunsAsCode() throws Exception {
        String form = "language=ru&kind=OWNER&personName=%3Cscript%3Ealert(1)%3C%2Fscript%3E&iin=990740000028"
                + "&email=owner%40example.kz&resource=www.web.kz&directiveNumber=WEB-1&links=https%3A%2F%2Fwww.web.kz%2Fa";

        HttpResponse<String> answer = submitForm(form);

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("Обращение не зарегистрировано",
                        "ИИН: двенадцать цифр с верной контрольной цифрой",
                        "отметьте, что ознакомились с тем, какие персональные данные собираются")
                // What was typed comes back in the field, escaped as its attribute needs ('<' and '"', not '>').
                .contains("value=\"&lt;script>alert(1)&lt;/script>\"").doesNotContain("<script>alert(1)");
    }

    /** A directive number the owner got wrong: registered all the same, and the page says the authority will match it. */
    @Test
    void aMistypedDirectiveNumberIsRegisteredAndThePageSaysTheAuthorityWillMatchIt() throws Exception {
        String form = "language=ru&kind=OWNER&personName=Айгүл&iin=990740000029&email=owner%40example.kz"
                + "&resource=www.web.kz&directiveNumber=WEB-7&links=https%3A%2F%2Fwww.web.kz%2Fa&personalDataAcknowledged=yes";

        HttpResponse<String> answer = submitForm(form);

        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.body()).contains("id=\"number\">APL-", "23:59 (UTC+5)",
                "уполномоченный орган сопоставит его с предписанием");
    }

    /** The status page's upload takes a file of the appeal whose token the link carries, of a type its bytes prove. */
    @Test
    void anUploadNeedsTheAppealsTokenAndAFileOfAnAllowedType() throws Exception {
        String form = "language=kk&kind=OWNER&personName=Айгүл&iin=990740000029&email=owner%40example.kz"
                + "&resource=www.web.kz&directiveNumber=WEB-1&links=https%3A%2F%2Fwww.web.kz%2Fa&personalDataAcknowledged=yes";
        String registered = submitForm(form).body();
        String link = registered.replaceAll("(?s).*id=\"status\" href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
        String attach = link.replace("/appeal/status/", "/appeal/attach/");

        assertThat(upload(attach.replaceFirst("token=[^&]+", "token=guess"), "proof.pdf", "%PDF-1.4\n".getBytes(StandardCharsets.UTF_8))
                .statusCode()).as("another's token").isEqualTo(404);
        HttpResponse<String> html = upload(attach, "proof.pdf", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        assertThat(html.statusCode()).as("HTML named .pdf").isEqualTo(422);
        assertThat(html.body()).contains("Файл тіркелмеді");
        byte[] tooLarge = java.util.Arrays.copyOf("%PDF-1.4\n".getBytes(StandardCharsets.UTF_8),
                kz.qaqpa.directives.appeal.AppealAttachments.MAX_BYTES + 64 * 1024);
        assertThat(upload(attach, "huge.pdf", tooLarge).statusCode()).as("past the upload's limit").isEqualTo(413);
        assertThat(upload(attach, "proof.pdf", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(303);
        assertThat(send(authority.gateway, "GET", link).body()).contains("<li>proof.pdf</li>");
    }

    /** The form posted as a browser without JavaScript posts it. */
    private static HttpResponse<String> submitForm(String fields) throws Exception {
        return send(authority.gateway, "POST", "/appeal", fields.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");
    }

    private static HttpResponse<String> upload(String path, String name, byte[] content) throws Exception {
        String boundary = "qaqpa-test-boundary";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(authority.gateway, "POST", path, body.toByteArray(), "Content-Type",
                "multipart/form-data; boundary=" + boundary);
    }

    private static String base() {
        return "http://127.0.0.1:" + authority.gateway.httpPort();
    }
}
