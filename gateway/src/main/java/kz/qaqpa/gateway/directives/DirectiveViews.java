package kz.qaqpa.gateway.directives;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.directives.directive.StoredCourtDecision;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.directive.StoredTarget;
import kz.qaqpa.directives.intake.BlocklistEffect;

/** How directives look in the API. */
final class DirectiveViews {

    /** Keys listed per part of an effect; the counts are always complete. */
    private static final int MAX_KEYS_LISTED = 1_000;

    private DirectiveViews() {
    }

    static JsonObject summary(StoredDirective directive) {
        JsonObject json = new JsonObject()
                .put("id", directive.id())
                .put("number", directive.number())
                .put("action", directive.action().name())
                .put("status", directive.status().name())
                .put("authority", new JsonObject().put("bin", directive.authorityBin()).put("name", directive.authorityName()))
                .put("issuedAt", directive.issuedAt().toString())
                .put("legalBasis", directive.legalBasis())
                .put("targetCount", directive.targetCount())
                .put("receivedAt", directive.receivedAt().toString())
                .put("signer", new JsonObject()
                        .put("subject", directive.signerSubject())
                        .put("serialNumber", directive.signerSerial())
                        .put("signingTime", directive.signingTime().toString()))
                .put("documentSha256", directive.documentSha256());
        Optional.ofNullable(directive.cancelsId()).ifPresent(id -> json.put("cancels", id));
        Optional.ofNullable(directive.cancelledById()).ifPresent(id -> json.put("cancelledBy", id));
        Optional.ofNullable(directive.appealNumber()).ifPresent(appeal -> json.put("appeal", appeal));
        Optional.ofNullable(directive.blocklistSerial()).ifPresent(serial -> json.put("blocklistSerial", serial));
        // A restriction for a period: when the gateway lifts it on its own.
        Optional.ofNullable(directive.expiresAt()).ifPresent(until -> json.put("validUntil", until.toString()));
        return json;
    }

    static JsonObject detail(StoredDirective directive, List<StoredTarget> targets, Optional<StoredCourtDecision> court) {
        JsonArray list = new JsonArray();
        for (StoredTarget target : targets) {
            JsonObject json = new JsonObject()
                    .put("type", target.kind().name())
                    .put("value", target.value())
                    .put("key", target.targetKey())
                    .put("original", target.original());
            if (target.includeSubdomains()) {
                json.put("includeSubdomains", true);
            }
            Optional.ofNullable(target.hostHint()).ifPresent(host -> json.put("host", host));
            // The directive said it means this target although it restricts far more than one resource.
            Optional.ofNullable(target.collateral()).ifPresent(rule -> json.put("acknowledgedCollateral", rule));
            list.add(json);
        }
        JsonObject json = summary(directive).put("targets", list);
        // A RESTRICT a court ordered is lifted by a court decision, not upon an appeal (seed 002 art. 21).
        court.ifPresent(decision -> json.put("courtDecision", new JsonObject()
                .put("court", decision.court())
                .put("number", decision.decisionNumber())
                .put("date", decision.decidedOn().toString())));
        return json;
    }

    static JsonObject effect(BlocklistEffect effect) {
        JsonObject json = new JsonObject();
        part(json, "newlyRestricted", effect.newlyRestricted());
        part(json, "alreadyRestricted", effect.alreadyRestricted());
        part(json, "lifted", effect.lifted());
        part(json, "stillRestricted", effect.stillRestricted());
        return json;
    }

    private static void part(JsonObject json, String name, List<String> keys) {
        json.put(name, new JsonObject()
                .put("count", keys.size())
                .put("keys", new JsonArray(keys.subList(0, Math.min(keys.size(), MAX_KEYS_LISTED))))
                .put("truncated", keys.size() > MAX_KEYS_LISTED));
    }
}
