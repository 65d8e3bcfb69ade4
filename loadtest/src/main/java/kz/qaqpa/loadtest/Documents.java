package kz.qaqpa.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Directive documents for benchmarks, in the authority's schema, to be signed by {@link BenchmarkAuthority}. */
public final class Documents {

    private Documents() {
    }

    /** A RESTRICT of the given domain names, each with or without its subdomains. */
    public static byte[] restrict(String number, List<String> names, boolean withSubdomains) {
        JsonArray targets = new JsonArray();
        for (String name : names) {
            targets.add(new JsonObject().put("type", "DOMAIN").put("value", name).put("includeSubdomains", withSubdomains));
        }
        return header(number, "RESTRICT").put("targets", targets).encode().getBytes(StandardCharsets.UTF_8);
    }

    /** The RESTORE that cancels directive {@code cancelled}. */
    public static byte[] restore(String number, String cancelled) {
        return header(number, "RESTORE").put("cancels", new JsonObject().put("number", cancelled).put("date", "2026-11-20"))
                .encode().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject header(String number, String action) {
        return new JsonObject().put("schema", "qaqpa.directive/v1").put("number", number)
                .put("issuedAt", "2026-11-20T10:00:00+05:00")
                .put("authority", new JsonObject().put("name", "Benchmark authority").put("bin", "990740000029"))
                .put("action", action).put("legalBasis", "benchmark").put("recipients", "ALL");
    }
}
