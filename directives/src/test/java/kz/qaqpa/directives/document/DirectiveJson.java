package kz.qaqpa.directives.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/** Builds directive documents for tests: valid by default, changed one field at a time. */
public final class DirectiveJson {

    public static final String AUTHORITY_BIN = "990740000029";
    public static final String AUTHORITY_NAME = "Қазақстан Республикасы Мәдениет және ақпарат министрлігі";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();
    private final ArrayNode targets;

    private DirectiveJson(String action, String number) {
        root.put("schema", "qaqpa.directive/v1");
        root.put("number", number);
        root.put("issuedAt", "2026-11-20T10:00:00+05:00");
        root.putObject("authority").put("name", AUTHORITY_NAME).put("bin", AUTHORITY_BIN);
        root.put("action", action);
        root.put("legalBasis", "Law of the Republic of Kazakhstan \"On Communications\", art. 41-1");
        targets = root.putArray("targets");
        root.put("recipients", "ALL");
    }

    public static DirectiveJson restrict(String number) {
        return new DirectiveJson("RESTRICT", number);
    }

    /** A RESTORE that cancels directive {@code cancelled} of 2026-11-20; it names no targets. */
    public static DirectiveJson restore(String number, String cancelled) {
        DirectiveJson restore = new DirectiveJson("RESTORE", number);
        restore.root.remove("targets");
        restore.root.putObject("cancels").put("number", cancelled).put("date", LocalDate.of(2026, 11, 20).toString());
        return restore;
    }

    public DirectiveJson domain(String name, boolean includeSubdomains) {
        targets.addObject().put("type", "DOMAIN").put("value", name).put("includeSubdomains", includeSubdomains);
        return this;
    }

    public DirectiveJson target(String type, String value) {
        targets.addObject().put("type", type).put("value", value);
        return this;
    }

    public DirectiveJson app(String store, String packageId) {
        targets.addObject().put("type", "APP").put("store", store).put("packageId", packageId);
        return this;
    }

    /** Acknowledges these targets would restrict far more than one resource ({@code acknowledgeCollateral}). */
    public DirectiveJson acknowledge(String... targets) {
        com.fasterxml.jackson.databind.node.ArrayNode list = root.putArray("acknowledgeCollateral");
        for (String target : targets) {
            list.add(target);
        }
        return this;
    }

    /**
     * The restoration order a RESTORE carries (required when it names an appeal): signed by "А. Сейітов",
     * to the State Technical Service and one operator, for {@code resource} and its {@code links}.
     */
    public DirectiveJson order(String resource, String... links) {
        ObjectNode order = root.putObject("order");
        order.put("signatory", "А. Сейітов, департамент директоры / директор департамента");
        order.putArray("addressees").add("«Мемлекеттік техникалық қызмет» АҚ / АО «Государственная техническая служба»")
                .add("«Қазақтелеком» АҚ / АО «Казахтелеком»");
        order.putArray("resources").add(resource);
        if (links.length > 0) {
            com.fasterxml.jackson.databind.node.ArrayNode list = order.putArray("links");
            for (String link : links) {
                list.add(link);
            }
        }
        String listed = String.join("; ", links);
        order.put("kk", "Байланыс операторына (операторларына) (тізім бойынша):\n- «Қазақтелеком» АҚ\n\nТапсырма\n\n"
                + listed + " сілтемелер бойынша бұрын орналастырылған құқыққа қарсы материалдар жойылған. Жоғарыда"
                + " көрсетілген " + resource + " интернет-ресурсына қол жеткізуді қайта бастауды тапсырамыз.");
        order.put("ru", "Оператору (операторам) связи (по списку):\n- АО «Казахтелеком»\n\nПоручение\n\n"
                + "Противоправные материалы, ранее размещённые по ссылкам " + listed + ", удалены. Поручаем возобновить"
                + " доступ к интернет-ресурсу " + resource + ".");
        return this;
    }

    /** Asks the registry to suspend the directive's domain names on a ground of seed 000 §16. */
    public DirectiveJson suspension(String ground) {
        root.put("domainSuspension", true).put("suspensionGround", ground);
        return this;
    }

    /** The authority's full name in Kazakh and in Russian, besides its {@code name}. */
    public DirectiveJson authorityNames(String kazakh, String russian) {
        ((ObjectNode) root.get("authority")).put("nameKk", kazakh).put("nameRu", russian);
        return this;
    }

    public DirectiveJson authorityBin(String bin) {
        ((ObjectNode) root.get("authority")).put("bin", bin);
        return this;
    }

    public DirectiveJson set(String field, String value) {
        root.put(field, value);
        return this;
    }

    public DirectiveJson set(String field, JsonNode value) {
        root.set(field, value);
        return this;
    }

    public DirectiveJson remove(String field) {
        root.remove(field);
        return this;
    }

    public ObjectNode tree() {
        return root;
    }

    public byte[] bytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
