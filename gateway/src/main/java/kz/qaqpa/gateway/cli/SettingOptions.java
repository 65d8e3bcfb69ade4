package kz.qaqpa.gateway.cli;

import java.util.List;
import java.util.function.Predicate;
import kz.qaqpa.gateway.config.Setting;
import kz.qaqpa.gateway.config.Settings;
import kz.qaqpa.gateway.config.TrustFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command-line options of the settings, made from their declarations ({@link Settings#ALL}):
 * {@code --KEY VALUE}, the value kept as text and read by the configuration's resolver like a value
 * from the environment or the file (see {@link MatchedSettings}). A secret is an option only to be
 * refused with a message that says where to give it instead.
 */
final class SettingOptions {


    private SettingOptions() {
    }

    /** Adds an option to {@code command} for each setting {@code belongs} takes, in the README's order. */
    static void addTo(CommandSpec command, Predicate<Setting<?>> belongs) {
        for (Setting<?> setting : Settings.ALL) {
            if (!belongs.test(setting)) {
                continue;
            }
            OptionSpec.Builder option = OptionSpec.builder("--" + setting.key()).hidden(setting.secret());
            if (!setting.secret()) {
                option.paramLabel(setting.label()).description(setting.help());
            }
            // --crl may be repeated (and is a list in the environment and the file).
            if (setting == TrustFiles.CRL) {
                option.type(List.class).auxiliaryTypes(String.class);
            } else {
                option.type(String.class);
            }
            command.addOption(option.build());
        }
    }
}
