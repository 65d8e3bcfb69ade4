package kz.qaqpa.directives.targets;

import kz.qaqpa.blocklist.model.TargetKind;

/** A mobile application: the store it is published in and its id there. */
public record AppTarget(AppStore store, String packageId) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.APP;
    }

    @Override
    public String value() {
        return store.name() + ":" + packageId;
    }
}
