package kz.qaqpa.directives.targets;

import kz.qaqpa.blocklist.model.TargetKind;

/**
 * A URL in canonical form (RFC 3986 §6.2.2), with its host kept as a hint for filtering by name
 * where the path cannot be seen (HTTPS).
 */
public record UrlTarget(String url, String host) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.URL;
    }

    @Override
    public String value() {
        return url;
    }
}
