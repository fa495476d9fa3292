package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.List;

import dev.mountedsecrets.autoconfigure.SecretsProperties;
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
	 * The problems of the folder as it is now.
	 * @param current a fresh read of the folder
	 * @return the problems, empty when every secret can be used
	 */
	public List<SecretProblem> problems(SecretsSnapshot current) {
		return this.rules.check(current);
	}

	public SecretMappings mappings() {
		return this.mappings;
	}

	public SecretRules rules() {
		return this.rules;
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
	 * Whether a value is the content of a secret in use, to mask it wherever it shows.
	 * @param value any value
	 * @return whether it equals a secret's content
	 */
	public boolean isSecretValue(@Nullable Object value) {
		if (!(value instanceof CharSequence text) || text.isEmpty()) {
			return false;
		}
		String candidate = text.toString();
		for (String secret : secretValues()) {
			if (secret.equals(candidate)) {
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

	@Override
	public String toString() {
		return "MountedSecrets[dir=" + this.properties.getDir() + ", secrets=" + inUse().secrets().keySet() + "]";
	}


}
