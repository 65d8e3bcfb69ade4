package kz.qaqpa.directives.targets;

/** Application stores a directive may name a mobile application in. */
public enum AppStore {
    GOOGLE_PLAY,
    APP_STORE,
    HUAWEI_APPGALLERY,
    RUSTORE
}
