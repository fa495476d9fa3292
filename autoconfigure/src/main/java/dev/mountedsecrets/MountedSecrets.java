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

	private static final int MIN_EMBEDDED_LENGTH = 8;

	private final ConfigurableEnvironment environment;

	private final SecretsProperties properties;

	private final SecretMappings mappings;

	private final SecretRules rules;

	public MountedSecrets(ConfigurableEnvironment environment, SecretsProperties properties) {
		this.environment = environment;
		this.properties = properties;
		this.mappings = SecretMappings.withOverrides(properties.getMappings());
		this.rules = SecretRules.from(properties, this.mappings);
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
	 * Whether a value shows a secret in use, to mask it wherever it appears: it equals a
	 * secret, or contains one (a URL built with {@code ${secrets.file.x}}). Containment counts
	 * for secrets of {@value #MIN_EMBEDDED_LENGTH} characters or more, so that a short value
	 * does not mask every text that happens to include it.
	 * @param value any value
	 * @return whether it shows a secret's content
	 */
	public boolean isSecretValue(@Nullable Object value) {
		if (!(value instanceof CharSequence text) || text.isEmpty()) {
			return false;
		}
		String candidate = text.toString();
		for (String secret : secretValues()) {
			if (secret.equals(candidate) || (secret.length() >= MIN_EMBEDDED_LENGTH && candidate.contains(secret))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a property source is one of ours.
	 * @param source a property source
	 * @return whether it holds secrets
	 */
	public static boolean isSecretsSource(@Nullable PropertySource<?> source) {
		return source instanceof SecretsPropertySource || source instanceof FileVariablesPropertySource;
	}

	private List<String> secretValues() {
		List<String> values = new ArrayList<>();
		inUse().secrets().values().forEach((secret) -> values.add(secret.value()));
		PropertySource<?> fileVariables = this.environment.getPropertySources().get(FileVariablesPropertySource.NAME);
		if (fileVariables instanceof FileVariablesPropertySource source) {
			for (String name : source.getPropertyNames()) {
				Object value = source.getProperty(name);
				if (value instanceof String text) {
					values.add(text);
				}
			}
		}
		values.removeIf(String::isEmpty);
		return values;
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
			this.environment.getPropertySources()
				.replace(SecretsPropertySource.NAME, new SecretsPropertySource(applied, this.mappings));
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
