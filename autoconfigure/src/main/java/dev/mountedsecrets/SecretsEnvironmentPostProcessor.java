package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads the secrets folder ({@code secrets.dir}) and the {@code X_FILE} environment variables
 * into the environment, once the application's own configuration is known, and fails start-up
 * with an {@link InvalidSecretsException} when a secret cannot be used.
 * <p>
 * Secrets rank below command-line arguments and Java system properties, and above OS
 * environment variables and configuration files.
 */
public class SecretsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Runs just after the application's configuration files are loaded. */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	/** Name of the lowest-ranked property source: user names that go with passwords, log caps. */
	public static final String DEFAULTS_NAME = "mountedSecretsDefaults";

	/** Loggers that write credentials in clear text, kept at INFO unless the application sets them. */
	private static final Map<String, Object> LOG_CAPS = CredentialLoggers.CAPS;

	private final Log logger;

	/**
	 * Create the post-processor.
	 * @param logFactory the factory of the log, replayed once logging is set up
	 */
	public SecretsEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(SecretsEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		SecretsProperties properties = Binder.get(environment).bindOrCreate("secrets", SecretsProperties.class);
		if (!properties.isEnabled()) {
			this.logger.debug("Mounted secrets are disabled (secrets.enabled=false)");
			return;
		}
		ReadOptions options = ReadOptions.from(properties);
		SecretFileReader reader = new SecretFileReader(options.maxFileSize());
		SecretMappings mappings = SecretMappings.withOverrides(properties.getMappings());
		SecretRules rules = SecretRules.from(properties, mappings);
		SecretsSnapshot snapshot = new SecretsFolder(properties.getDir(), options).read();
		FileVariables fileVariables = readFileVariables(environment, properties, reader);
		List<SecretProblem> problems = new ArrayList<>(fileVariables.problems());
		problems.addAll(rules.check(snapshot));
		List<SecretProblem> outside = checkOutsideFiles(environment, properties.getEnvironmentCheck(), snapshot,
				fileVariables, mappings);
		if (properties.getEnvironmentCheck() == CheckMode.FAIL) {
			problems.addAll(outside);
		}
		if (!problems.isEmpty()) {
			throw new InvalidSecretsException(problems);
		}
		install(environment, snapshot, fileVariables, mappings);
		logOutcome(snapshot, fileVariables, mappings);
		CredentialLoggers.warnings(environment).forEach(this.logger::warn);
		if (properties.getEnvironmentCheck() == CheckMode.WARN && !outside.isEmpty()) {
			this.logger.warn("Secrets found outside files: "
					+ outside.stream().map((problem) -> problem.file() + " (" + problem.rule() + ")").toList()
					+ ". Move each into a secret file and remove it; secrets.environment-check=off turns this check"
					+ " off.");
		}
	}

	private static List<SecretProblem> checkOutsideFiles(ConfigurableEnvironment environment, CheckMode mode,
			SecretsSnapshot snapshot, FileVariables fileVariables, SecretMappings mappings) {
		if (mode == CheckMode.OFF) {
			return List.of();
		}
		Set<String> served = new HashSet<>();
		snapshot.secrets().keySet().forEach((name) -> served.addAll(mappings.propertiesFor(name)));
		fileVariables.secrets().keySet().forEach((variable) -> served.add(variable.replace('_', '.')));
		return SecretsOutsideFiles.find(environment, served);
	}

	private FileVariables readFileVariables(ConfigurableEnvironment environment, SecretsProperties properties,
			SecretFileReader reader) {
		if (!properties.getFileVariables().isEnabled()) {
			return FileVariables.none();
		}
		PropertySource<?> systemEnvironment = environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		if (!(systemEnvironment instanceof MapPropertySource mapSource)) {
			return FileVariables.none();
		}
		return FileVariables.read(mapSource.getSource(), properties.getFileVariables().getIgnored(), reader);
	}

	private void install(ConfigurableEnvironment environment, SecretsSnapshot snapshot, FileVariables fileVariables,
			SecretMappings mappings) {
		MutablePropertySources sources = environment.getPropertySources();
		SecretsPropertySource secrets = new SecretsPropertySource(snapshot, mappings);
		addAboveEnvironment(sources, secrets);
		if (!fileVariables.secrets().isEmpty()) {
			FileVariablesPropertySource variables = new FileVariablesPropertySource(fileVariables.secrets());
			secrets.served().record(variables.values());
			sources.addBefore(SecretsPropertySource.NAME, variables);
		}
		Map<String, Object> defaults = new LinkedHashMap<>(LOG_CAPS);
		snapshot.secrets().keySet().forEach((name) -> defaults.putAll(mappings.defaultsFor(name)));
		sources.addLast(new MapPropertySource(DEFAULTS_NAME, defaults));
	}

	private static void addAboveEnvironment(MutablePropertySources sources, PropertySource<?> source) {
		if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
			sources.addBefore(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
		}
		else if (sources.contains(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
			sources.addAfter(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, source);
		}
		else {
			sources.addFirst(source);
		}
	}

	private void logOutcome(SecretsSnapshot snapshot, FileVariables fileVariables, SecretMappings mappings) {
		for (SecretProblem warning : snapshot.warnings()) {
			this.logger.warn(warning.feeding(mappings.propertiesFor(warning.name())).describe() + ". " + warning.action());
		}
		if (!snapshot.found()) {
			this.logger.info("No secrets folder at " + snapshot.dir() + " (secrets.dir); no secret files were loaded");
		}
		else {
			this.logger.info("Loaded " + snapshot.secrets().size() + " secret file(s) from " + snapshot.dir());
			this.logger.debug("Secret files loaded: " + snapshot.secrets().keySet());
		}
		if (!fileVariables.secrets().isEmpty()) {
			this.logger.info("Loaded secrets from *_FILE environment variables for " + fileVariables.secrets().keySet());
		}
		for (SecretProblem skipped : fileVariables.skipped().values()) {
			this.logger.warn(skipped.describe() + "; " + skipped.name() + " is not set from it. " + skipped.action()
					+ " If it names no secret, add it to secrets.file-variables.ignored.");
		}
	}

}
