package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * The secrets an application runs with, as a bean: what the environment serves now, the
 * mappings and rules in force, and a fresh look at the folder. Never hands out a value,
 * only answers whether a value is one of the secrets.
 */
public class MountedSecrets {

	private final ConfigurableEnvironment environment;

	private final SecretsProperties properties;

	private final SecretMappings mappings;

	private final SecretRules rules;

	private static final String FILE_PROPERTY_SETTING = "-" + SecretMappings.FILE_PROPERTY_PREFIX;

	private final Set<String> mappedProperties;

	private final RelaxedPropertyNames relaxedNames;

	/** The registry {@link #served()} answered with last. */
	private volatile @Nullable ServedSecrets lastServed;

	public MountedSecrets(ConfigurableEnvironment environment, SecretsProperties properties) {
		this.environment = environment;
		this.properties = properties;
		this.mappings = SecretMappings.withOverrides(properties.getMappings());
		this.rules = SecretRules.from(properties, this.mappings);
		this.mappedProperties = Set.copyOf(this.mappings.mappedProperties());
		this.relaxedNames = new RelaxedPropertyNames(this.mappedProperties);
	}

	/**
	 * The secrets the environment serves now.
	 * @return the snapshot in use, empty if none was loaded
	 */
	public SecretsSnapshot inUse() {
		SecretsPropertySource source = secretsSource();
		return (source != null) ? source.getSource() : SecretsSnapshot.missing(this.properties.getDir());
	}

	/**
	 * Read the folder again and check it, without changing what is in use.
	 * @return the folder as it is now
	 */
	public SecretsSnapshot readFolder() {
		return new SecretsFolder(this.properties.getDir(), ReadOptions.from(this.properties)).read();
	}

	/**
	 * The problems of the folder as it is now: its broken rules, and every secret in use whose
	 * file is gone now (it still feeds its properties with the last good value).
	 * @param current a fresh read of the folder
	 * @return the problems, empty when every secret can be used
	 */
	public List<SecretProblem> problems(SecretsSnapshot current) {
		List<SecretProblem> problems = new ArrayList<>(this.rules.check(current));
		problems.addAll(removed(current, problems));
		return problems;
	}

	private List<SecretProblem> removed(SecretsSnapshot read, List<SecretProblem> known) {
		Set<String> named = new HashSet<>();
		known.forEach((problem) -> named.add(problem.name()));
		List<SecretProblem> removed = new ArrayList<>();
		for (SecretFile old : inUse().secrets().values()) {
			if (!read.secrets().containsKey(old.name()) && !named.contains(old.name())) {
				removed.add(new SecretProblem(old.path().toString(), old.name(), this.mappings.allPropertiesFor(old.name()),
						"was removed", "Restore the file; the last value stays in use until then."));
			}
		}
		return removed;
	}

	public SecretsProperties properties() {
		return this.properties;
	}

	/**
	 * The properties a secret feeds in the environment now.
	 * @param name the secret's name
	 * @return the property names
	 */
	public List<String> propertiesFedBy(String name) {
		SecretsPropertySource source = secretsSource();
		return (source != null) ? source.propertiesFedBy(name) : this.mappings.allPropertiesFor(name);
	}

	/**
	 * Whether a value shows a secret the process has served, now or before a rotation: it
	 * equals one, or contains a {@linkplain ServedSecrets#isDistinctive(String) distinctive} one
	 * (a URL built with {@code ${secrets.file.x}}), in clear, Base64, URL-encoded or hex form.
	 * Any type ({@link ServedSecrets#shows(Object)}): {@code char[]}, collections and maps are
	 * looked into; booleans never show a secret.
	 * @param value any value
	 * @return whether it shows a secret's content
	 */
	public boolean isSecretValue(@Nullable Object value) {
		return served().shows(value);
	}

	/**
	 * The registry of every value served from secret files, as installed in the environment
	 * now. Values are only ever added to a registry: the same registry with the same
	 * {@link ServedSecrets#size() size} holds the same values, and so gives the same answer
	 * for the same text.
	 * @return the registry
	 */
	public ServedSecrets servedSecrets() {
		return served();
	}

	/**
	 * Replace every secret the process has served by {@value ServedSecrets#MASK} in a text.
	 * @param text any text
	 * @return the masked text
	 */
	public String mask(String text) {
		return served().mask(text);
	}

	/**
	 * Whether the starter serves a property, wherever its value comes from now (a secret file,
	 * or a command-line override): a property some file is mapped to, {@code secrets.file.*},
	 * or one set from an {@code X_FILE} variable, under any name Boot binds to it
	 * ({@code spring.datasource.pass-word}, {@code spring.dataSource.password}), or a part of
	 * one ({@code [0]}, {@code .x}).
	 * @param property a property name
	 * @return whether its value is a secret
	 */
	public boolean servesProperty(String property) {
		if (property.startsWith(SecretMappings.FILE_PROPERTY_PREFIX) || this.mappedProperties.contains(property)
				|| this.relaxedNames.serves(property)) {
			return true;
		}
		PropertySource<?> fileVariables = this.environment.getPropertySources().get(FileVariablesPropertySource.NAME);
		return fileVariables instanceof FileVariablesPropertySource source && source.secretFor(property) != null;
	}

	/**
	 * Whether a property's value in the environment, placeholders resolved, shows a secret.
	 * @param property a property name
	 * @return whether it resolves to a secret
	 */
	public boolean resolvesToSecret(String property) {
		try {
			return isSecretValue(this.environment.getProperty(property));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Whether a value sets a served property (under any name Boot binds to it): a command line
	 * with {@code --name=} or {@code -Dname=}, as in {@code sun.java.command} or
	 * {@code JAVA_TOOL_OPTIONS}, or a JSON document such as {@code SPRING_APPLICATION_JSON}.
	 * @param value any value
	 * @return whether it sets a served property
	 */
	public boolean setsServedProperty(Object value) {
		if (!(value instanceof CharSequence sequence)) {
			return false;
		}
		String text = sequence.toString();
		if (text.contains(FILE_PROPERTY_SETTING)) {
			return true;
		}
		if (text.indexOf('=') >= 0 && text.indexOf('-') >= 0) {
			for (String property : this.mappedProperties) {
				if (text.contains("--" + property + "=") || text.contains("-D" + property + "=")) {
					return true;
				}
			}
			for (String name : RelaxedPropertyNames.setOn(text)) {
				if (servesProperty(name)) {
					return true;
				}
			}
		}
		if (text.indexOf('{') >= 0 && text.indexOf('"') >= 0) {
			for (String name : RelaxedPropertyNames.setIn(text)) {
				if (servesProperty(name)) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Every property that {@link #servesProperty(String)}, as far as names are known ahead.
	 * @return the property names
	 */
	public Set<String> servedProperties() {
		return this.mappedProperties;
	}

	/**
	 * Whether a property source is one of ours.
	 * @param source a property source
	 * @return whether it holds secrets
	 */
	public static boolean isSecretsSource(@Nullable PropertySource<?> source) {
		return source instanceof SecretsPropertySource || source instanceof FileVariablesPropertySource;
	}

	/**
	 * The registry installed in the environment now, or the folder's when none is. When it is
	 * not the one answered with before (a Spring Cloud refresh installs a secrets source made
	 * on a copy of the environment, possibly from another folder), it first records every value
	 * the one before holds: no value served is ever forgotten.
	 */
	private ServedSecrets served() {
		ServedSecrets installed = ServedSecrets.in(this.environment);
		ServedSecrets served = (installed != null) ? installed : ServedSecrets.forFolder(this.properties.getDir());
		ServedSecrets last = this.lastServed;
		if (served != last) {
			if (last != null) {
				served.adopt(last);
			}
			this.lastServed = served;
		}
		return served;
	}

	private @Nullable SecretsPropertySource secretsSource() {
		PropertySource<?> source = this.environment.getPropertySources().get(SecretsPropertySource.NAME);
		return (source instanceof SecretsPropertySource secrets) ? secrets : null;
	}

	/**
	 * Apply a fresh read of the folder: every changed secret that passes the rules replaces
	 * the one in use; a secret that is now invalid, or whose file was removed, keeps its last
	 * good value.
	 * @param read the folder as it is now
	 * @return what changed and what was refused
	 */
	public synchronized Rotation rotate(SecretsSnapshot read) {
		SecretsSnapshot inUse = inUse();
		List<SecretProblem> refused = new ArrayList<>(this.rules.check(read));
		Set<String> invalid = new HashSet<>();
		refused.forEach((problem) -> invalid.add(problem.name()));
		Map<String, SecretFile> next = new TreeMap<>(inUse.secrets());
		Set<String> changed = new TreeSet<>();
		for (SecretFile secret : read.secrets().values()) {
			SecretFile old = next.get(secret.name());
			if (!invalid.contains(secret.name()) && (old == null || !old.sameValueAs(secret))) {
				next.put(secret.name(), secret);
				changed.add(secret.name());
			}
		}
		refused.addAll(removed(read, refused));
		Set<String> properties = new TreeSet<>();
		if (!changed.isEmpty()) {
			changed.forEach((name) -> properties.addAll(this.mappings.allPropertiesFor(name)));
			SecretsSnapshot applied = new SecretsSnapshot(read.dir(), read.found(), next, read.problems(),
					read.warnings());
			SecretsPropertySource current = secretsSource();
			this.environment.getPropertySources()
				.replace(SecretsPropertySource.NAME, (current != null) ? current.successor(applied, this.mappings)
						: new SecretsPropertySource(applied, this.mappings, served()));
		}
		return new Rotation(changed, properties, refused);
	}

	/**
	 * The outcome of a rotation.
	 *
	 * @param secrets the secrets whose new value is now in use
	 * @param properties the properties those secrets feed
	 * @param refused the secrets whose new state was refused; their last good value stays
	 */
	public record Rotation(Set<String> secrets, Set<String> properties, List<SecretProblem> refused) {

	}

	@Override
	public String toString() {
		return "MountedSecrets[dir=" + this.properties.getDir() + ", secrets=" + inUse().secrets().keySet() + "]";
	}


}
