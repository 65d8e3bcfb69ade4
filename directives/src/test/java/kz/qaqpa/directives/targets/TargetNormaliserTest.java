package kz.qaqpa.directives.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetNormaliserTest {

    @Test
    void kazakhCyrillicNameBecomesItsALabel() {
        assertThat(TargetNormaliser.domain("мем.қаз", false).name()).isEqualTo("xn--e1anb.xn--80ao21a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"МЕМ.ҚАЗ", "мем.қаз.", "  мем.қаз ", "xn--e1anb.xn--80ao21a", "XN--E1ANB.xn--80ao21a."})
    void everySpellingOfOneNameIsOneTarget(String spelling) {
        assertThat(TargetNormaliser.domain(spelling, false).name()).isEqualTo("xn--e1anb.xn--80ao21a");
    }

    @Test
    void nameWithSubdomainsIsAnotherBlocklistEntryThanTheNameAlone() {
        assertThat(TargetNormaliser.domain("Example.KZ", true).key()).isEqualTo("DOMAIN:*.example.kz");
        assertThat(TargetNormaliser.domain("example.kz", false).key()).isEqualTo("DOMAIN:example.kz");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|domain name is empty",
        ".|domain name is empty",
        "kz|a single label is a top-level domain",
        "*.example.kz|set includeSubdomains",
        "exa_mple.kz|not a valid domain name",
        "-example.kz|not a valid domain name",
        "example..kz|not a valid domain name",
        "10.0.0.1|use an IP target",
        "a b.kz|not a valid domain name",
    })
    void invalidNamesAreRefusedWithTheReason(String name, String reason) {
        assertThatThrownBy(() -> TargetNormaliser.domain(name, false))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void labelAndNameLengthsFollowRfc1035() {
        String label63 = "a".repeat(63);
        assertThat(TargetNormaliser.domain(label63 + ".kz", false).name()).hasSize(66);
        assertThatThrownBy(() -> TargetNormaliser.domain("a".repeat(64) + ".kz", false))
                .isInstanceOf(InvalidTargetException.class);
        String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
        assertThat(TargetNormaliser.domain(name253, false).name()).hasSize(253);
        assertThatThrownBy(() -> TargetNormaliser.domain(name253 + "a", false))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("too long");
        assertThatThrownBy(() -> TargetNormaliser.domain("мыса" + "9".repeat(2_000) + ".kz", false))
                .as("a Unicode label too long for Punycode").isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("too long");
        assertThatThrownBy(() -> TargetNormaliser.url("https://мыса" + "9".repeat(2_000) + ".kz/"))
                .isInstanceOf(InvalidTargetException.class);
        String path = "ж".repeat(1_000); // 1,000 characters as written, 6,000 percent-encoded
        assertThatThrownBy(() -> TargetNormaliser.url("https://example.kz/" + path))
                .as("the limit holds for the form kept").isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("percent-encoded");
        String encoded = TargetNormaliser.url("https://example.kz/" + "ж".repeat(600)).value();
        assertThat(TargetNormaliser.url(encoded).value()).isEqualTo(encoded);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP://Example.KZ/a/b|http://example.kz/a/b",
        "https://example.kz:443/|https://example.kz/",
        "http://example.kz:80|http://example.kz/",
        "http://example.kz:8080/x|http://example.kz:8080/x",
        "https://example.kz/a/./b/../c|https://example.kz/a/c",
        "https://example.kz/a/b/..|https://example.kz/a/",
        "https://example.kz/../../a|https://example.kz/a",
        "https://example.kz/page#section|https://example.kz/page",
        "https://example.kz/%7euser/%2fx|https://example.kz/~user/%2Fx",
        "https://example.kz/%61%62c|https://example.kz/abc",
        "https://example.kz/%2e%2E/a|https://example.kz/a",
        "https://мем.қаз/жаңалық|https://xn--e1anb.xn--80ao21a/%D0%B6%D0%B0%D2%A3%D0%B0%D0%BB%D1%8B%D2%9B",
        "https://example.kz/a b|https://example.kz/a%20b",
        "https://example.kz/search?q=%7e&x=1#top|https://example.kz/search?q=~&x=1",
        "https://example.kz/?|https://example.kz/",
        "http://[2001:DB8::0:1]:8080/x|http://[2001:db8::1]:8080/x",
        "http://203.0.113.7/x|http://203.0.113.7/x",
    })
    void urlsAreCanonical(String written, String canonical) {
        assertThat(TargetNormaliser.url(written).url()).isEqualTo(canonical);
    }

    @Test
    void urlKeepsItsHostAsAHintForFilteringByName() {
        assertThat(TargetNormaliser.url("https://Video.Example.KZ/clip/1").host()).isEqualTo("video.example.kz");
        assertThat(TargetNormaliser.url("http://[2001:db8::1]/").host()).isEqualTo("2001:db8::1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://example.kz/file|scheme 'ftp' is not http or https",
        "example.kz/page|not a URL",
        "https:///path|URL has no host",
        "https://user:pw@example.kz/|user name or password",
        "https://example.kz/%zz|invalid percent-encoding",
        "https://example.kz/%4|incomplete percent-encoding",
        "https://example.kz:0/|port '0'",
        "https://example.kz:99999/|port '99999'",
        "https://ex%61mple.kz/|percent-encoded host",
        "https://[2001:db8::1/|missing ']'",
    })
    void invalidUrlsAreRefusedWithTheReason(String url, String reason) {
        assertThatThrownBy(() -> TargetNormaliser.url(url))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "203.0.113.7|203.0.113.7",
        "2001:DB8:0:0:0:0:0:1|2001:db8::1",
        "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
        " ::1 |::1",
    })
    void addressesAreCanonical(String written, String canonical) {
        assertThat(TargetNormaliser.ip(written).address()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"010.1.1.1", "1.2.3", "0x7f.0.0.1", "256.1.1.1", "10.0.0.0/8", "fe80::1%eth0", "example.kz", ""})
    void ambiguousOrNonAddressesAreRefused(String written) {
        assertThatThrownBy(() -> TargetNormaliser.ip(written)).isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void networksAreCanonicalAndMustNotHaveHostBits() {
        assertThat(TargetNormaliser.cidr("10.0.0.0/8").value()).isEqualTo("10.0.0.0/8");
        assertThat(TargetNormaliser.cidr("2001:DB8::/32").value()).isEqualTo("2001:db8::/32");
        assertThat(TargetNormaliser.cidr("203.0.113.7/32").value()).isEqualTo("203.0.113.7/32");
        assertThatThrownBy(() -> TargetNormaliser.cidr("10.0.0.1/8"))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("host bits").hasMessageContaining("10.0.0.0/8");
        assertThatThrownBy(() -> TargetNormaliser.cidr("10.0.0.0"))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> TargetNormaliser.cidr("10.0.0.0/33")).isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void appsAreKeptByStoreAndId() {
        assertThat(TargetNormaliser.app(AppStore.GOOGLE_PLAY, " org.example.app ").value())
                .isEqualTo("GOOGLE_PLAY:org.example.app");
        assertThatThrownBy(() -> TargetNormaliser.app(AppStore.APP_STORE, "bad id"))
                .isInstanceOf(InvalidTargetException.class);
    }
}
