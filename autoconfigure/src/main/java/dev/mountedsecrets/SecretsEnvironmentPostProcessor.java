package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
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
 * Secrets rank below command-line arguments, {@code SPRING_APPLICATION_JSON} and Java system
 * properties, and above OS environment variables and configuration files; the environment
 * check reports secrets set in any of those.
 * <p>
 * Knows no Boot generation: Boot finds it through the adapters of
 * {@code dev.mountedsecrets.autoconfigure} registered in {@code spring.factories}, one per
 * generation's post-processor interface.
 */
public class SecretsEnvironmentPostProcessor implements Ordered {

	/** Runs just after the application's configuration files are loaded. */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	/** Name of the lowest-ranked property source: user names that go with passwords, log caps. */
	public static final String DEFAULTS_NAME = "mountedSecretsDefaults";

	/** Loggers that write credentials in clear text, kept at INFO unless the application sets them. */
	private static final Map<String, Object> LOG_CAPS = CredentialLoggers.CAPS;

	/** How many loaded files the INFO line at start-up describes; DEBUG describes them all. */
	static final int USES_AT_INFO = 50;

	private final Log logger;

	private final SecretsSourceFactory sources;

	private final SecretsPreflight.Output preflightOutput;

	/**
	 * Create the post-processor, installing the core's property sources as they are.
	 * @param logFactory the factory of the log, replayed once logging is set up
	 */
	public SecretsEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this(logFactory, SecretsSourceFactory.PLAIN);
	}

	/**
	 * Create the post-processor.
	 * @param logFactory the factory of the log, replayed once logging is set up
	 * @param sources what makes the property sources it installs (a Boot generation's kind)
	 */
	public SecretsEnvironmentPostProcessor(DeferredLogFactory logFactory, SecretsSourceFactory sources) {
		this(logFactory, sources, SecretsPreflight.Output.STANDARD);
	}

	/**
	 * Create the post-processor.
	 * @param logFactory the factory of the log, replayed once logging is set up
	 * @param sources what makes the property sources it installs (a Boot generation's kind)
	 * @param preflightOutput where the pre-flight report goes and how the process ends
	 */
	public SecretsEnvironmentPostProcessor(DeferredLogFactory logFactory, SecretsSourceFactory sources,
			SecretsPreflight.Output preflightOutput) {
		this.logger = logFactory.getLog(SecretsEnvironmentPostProcessor.class);
		this.sources = sources;
		this.preflightOutput = preflightOutput;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		SecretsProperties properties = Binder.get(environment).bindOrCreate("secrets", SecretsProperties.class);
		boolean preflight = properties.getPreflight().isEnabled();
		if (!properties.isEnabled() && preflight) {
			this.preflightOutput.finish(SecretsPreflight.disabled(properties), properties.getPreflight().getFormat());
			return;
		}
		if (!properties.isEnabled()) {
			this.logger.debug("Mounted secrets are disabled (secrets.enabled=false)");
			return;
		}
		SecretsDirectory directory = SecretsDirectory.resolve(environment);
		properties.setDir(directory.path());
		ReadOptions options = ReadOptions.from(properties);
		SecretMappings mappings = SecretMappings.withOverrides(properties.getMappings());
		SecretRules rules = SecretRules.from(properties, mappings);
		SecretsSnapshot snapshot = new SecretsFolder(properties.getDir(), options).read();
		FileVariables fileVariables = readFileVariables(environment, properties, options, rules);
		List<SecretProblem> problems = new ArrayList<>(fileVariables.problems());
		problems.addAll(rules.check(snapshot));
		List<SecretProblem> outside = checkOutsideFiles(environment, properties.getEnvironmentCheck(), snapshot,
				fileVariables, mappings);
		if (properties.getEnvironmentCheck() == CheckMode.FAIL) {
			problems.addAll(outside);
		}
		if (preflight) {
			List<SecretProblem> warnings = warnings(snapshot, fileVariables, mappings, properties, outside);
			// the report is the output of a command, printed before any masking is in place: it
			// is masked with every value read, as what it quotes (a JDBC URL) may hold one
			ServedSecrets served = recordRead(snapshot, fileVariables);
			if (!problems.isEmpty()) {
				this.preflightOutput.finish(
						SecretsPreflight.invalid(properties, snapshot, problems, warnings).masked(served),
						properties.getPreflight().getFormat());
				return;
			}
			install(environment, snapshot, fileVariables, mappings, directory);
			this.preflightOutput.finish(
					SecretsPreflight.passed(properties, snapshot, warnings, environment).masked(served),
					properties.getPreflight().getFormat());
			return;
		}
		if (!problems.isEmpty()) {
			throw new InvalidSecretsException(problems);
		}
		install(environment, snapshot, fileVariables, mappings, directory);
		logOutcome(environment, snapshot, fileVariables, mappings, directory);
		CredentialLoggers.warnings(environment).forEach(this.logger::warn);
		if (properties.getEnvironmentCheck() == CheckMode.WARN && !outside.isEmpty()) {
			this.logger.warn("Secrets found outside files: "
					+ outside.stream().map((problem) -> problem.file() + " (" + problem.rule() + ")").toList()
					+ ". Move each into a secret file and remove it; secrets.environment-check=off turns this check"
					+ " off.");
		}
	}

	/** The registry of the folder, with every value read from it and from {@code X_FILE} variables recorded. */
	private static ServedSecrets recordRead(SecretsSnapshot snapshot, FileVariables fileVariables) {
		ServedSecrets served = ServedSecrets.forFolder(snapshot.dir());
		served.record(snapshot.secrets().values().stream().map(SecretFile::value).toList());
		served.record(fileVariables.secrets().values().stream().map(SecretFile::value).toList());
		return served;
	}

	/**
	 * The rules broken by files that are used all the same: what start-up logs as warnings.
	 */
	private static List<SecretProblem> warnings(SecretsSnapshot snapshot, FileVariables fileVariables,
			SecretMappings mappings, SecretsProperties properties, List<SecretProblem> outside) {
		List<SecretProblem> warnings = new ArrayList<>();
		snapshot.warnings().forEach((warning) -> warnings.add(warning.feeding(mappings.propertiesFor(warning.name()))));
		warnings.addAll(fileVariables.warnings());
		if (properties.getEnvironmentCheck() == CheckMode.WARN) {
			outside.forEach((problem) -> warnings.add(new SecretProblem(problem.file(), problem.name(),
					problem.properties(), problem.rule(),
					"Move it into a secret file and remove it; secrets.environment-check=off turns this check off.")));
		}
		return warnings;
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
			ReadOptions options, SecretRules rules) {
		if (!properties.getFileVariables().isEnabled()) {
			return FileVariables.none();
		}
		PropertySource<?> systemEnvironment = environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		if (!(systemEnvironment instanceof MapPropertySource mapSource)) {
			return FileVariables.none();
		}
		return FileVariables.read(mapSource.getSource(), properties.getFileVariables().getIgnored(), options,
				rules);
	}

	private void install(ConfigurableEnvironment environment, SecretsSnapshot snapshot, FileVariables fileVariables,
			SecretMappings mappings, SecretsDirectory directory) {
		MutablePropertySources sources = environment.getPropertySources();
		SecretsPropertySource secrets = this.sources.secrets(snapshot, mappings);
		addAboveEnvironment(sources, secrets);
		if (!fileVariables.secrets().isEmpty()) {
			FileVariablesPropertySource variables = this.sources.fileVariables(fileVariables.secrets());
			secrets.served().record(variables.values());
			sources.addBefore(SecretsPropertySource.NAME, variables);
		}
		Map<String, Object> defaults = new LinkedHashMap<>(LOG_CAPS);
		snapshot.secrets().keySet().forEach((name) -> defaults.putAll(mappings.defaultsFor(name)));
		if (directory.fromCredentials()) {
			// Lowest rank: the settings bean, the reloader and the endpoint read the same folder.
			defaults.put("secrets.dir", directory.path().toString());
		}
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

	private void logOutcome(ConfigurableEnvironment environment, SecretsSnapshot snapshot, FileVariables fileVariables,
			SecretMappings mappings, SecretsDirectory directory) {
		for (SecretProblem warning : snapshot.warnings()) {
			this.logger.warn(warning.feeding(mappings.propertiesFor(warning.name())).describe() + ". " + warning.action());
		}
		for (SecretProblem warning : fileVariables.warnings()) {
			this.logger.warn(warning.describe() + ". " + warning.action());
		}
		if (!snapshot.found()) {
			this.logger.info("No secrets folder at " + snapshot.dir() + " (" + directory.source()
					+ "); no secret files were loaded");
		}
		else {
			String loaded = "Loaded " + snapshot.secrets().size() + " secret file(s) from " + snapshot.dir()
					+ (directory.fromCredentials() ? " (" + directory.source() + ")" : "") + ": ";
			List<String> names = snapshot.secrets().keySet().stream().sorted().toList();
			if (names.size() <= USES_AT_INFO) {
				this.logger.info(loaded + describeUses(environment, names, mappings));
			}
			else {
				// A line per start, not a page: the whole list is a DEBUG line of its own, written
				// only if DEBUG is on (the deferred log turns its message into text when it writes).
				this.logger.info(loaded + describeUses(environment, names.subList(0, USES_AT_INFO), mappings)
						+ " | and " + (names.size() - USES_AT_INFO) + " more (logging.level."
						+ SecretsEnvironmentPostProcessor.class.getName() + "=DEBUG lists every one)");
				this.logger.debug(new Object() {

					@Override
					public String toString() {
						return loaded + describeUses(environment, names, mappings);
					}

				});
			}
		}
		if (!fileVariables.secrets().isEmpty()) {
			this.logger.info("Loaded secrets from *_FILE environment variables for " + fileVariables.secrets().keySet());
		}
		for (SecretProblem skipped : fileVariables.skipped().values()) {
			this.logger.warn(skipped.describe() + "; " + skipped.name() + " is not set from it. " + skipped.action()
					+ " If it names no secret, add it to secrets.file-variables.ignored.");
		}
	}


	private static String describeUses(ConfigurableEnvironment environment, List<String> names,
			SecretMappings mappings) {
		StringBuilder uses = new StringBuilder();
		for (String name : names) {
			uses.append(uses.isEmpty() ? "" : " | ").append(describeUse(environment, name, mappings));
		}
		return uses.toString();
	}

	/**
	 * What a loaded file was used for, names only: the properties it feeds, the default user
	 * names applied with them, and the defaults that the application's own settings override.
	 */
	private static String describeUse(ConfigurableEnvironment environment, String name, SecretMappings mappings) {
		List<String> properties = mappings.propertiesFor(name);
		StringBuilder use = new StringBuilder(name).append(" -> ")
			.append(properties.isEmpty() ? SecretMappings.FILE_PROPERTY_PREFIX + name : String.join(", ", properties));
		Map<String, String> applied = new TreeMap<>();
		List<String> overridden = new ArrayList<>();
		new TreeMap<>(mappings.defaultsFor(name)).forEach((property, value) -> {
			String source = firstSourceOf(environment, property);
			if (source == null || DEFAULTS_NAME.equals(source)) {
				applied.merge(value, property.substring(property.lastIndexOf('.') + 1),
						(first, next) -> first.equals(next) ? first : "user");
			}
			else {
				overridden.add(property + " set by " + source + " overrides the default " + value);
			}
		});
		applied.forEach((value, label) -> use.append("; ").append(label).append(' ').append(value).append(" (default)"));
		overridden.forEach((text) -> use.append("; ").append(text));
		return use.toString();
	}

	private static @Nullable String firstSourceOf(ConfigurableEnvironment environment, String property) {
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
					&& source.containsProperty(property)) {
				return source.getName();
			}
		}
		return null;
	}

}
