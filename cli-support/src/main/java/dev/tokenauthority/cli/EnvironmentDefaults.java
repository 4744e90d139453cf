package dev.tokenauthority.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option's default can come from the environment: {@code --db-url} from
 * {@code TOKENAUTHORITY_DB_URL}, {@code --demo} from {@code TOKENAUTHORITY_DEMO}. A flag on the
 * command line wins over the environment, which wins over the built-in default.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {

    private final String prefix;
    private final Map<String, String> environment;

    public EnvironmentDefaults(String prefix, Map<String, String> environment) {
        this.prefix = prefix;
        this.environment = environment;
    }

    /** The variable that sets an option, e.g. TOKENAUTHORITY_GRPC_PORT for --grpc-port. */
    public String variableFor(String longOption) {
        return prefix + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option) {
            return environment.get(variableFor(option.longestName()));
        }
        return null;
    }
}
