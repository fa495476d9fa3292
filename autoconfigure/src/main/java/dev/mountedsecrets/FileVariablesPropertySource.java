package dev.mountedsecrets;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Serves the content of the files named by {@code X_FILE} environment variables as if the
 * variables {@code X} held it. It is a system-environment source, so Spring's relaxed binding
 * applies: {@code SPRING_DATASOURCE_PASSWORD_FILE} feeds {@code spring.datasource.password}.
 * Values are served verbatim, escaped for placeholder resolution like the folder's.
 */
public class FileVariablesPropertySource extends SystemEnvironmentPropertySource
		implements OriginLookup<String> {

	/** Name of this property source; the suffix makes Boot bind it like the environment. */
	public static final String NAME = "mountedSecretsFileVariables-"
			+ StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;

	private final Map<String, SecretFile> secretsByVariable;

	/**
	 * Create a property source.
	 * @param secretsByVariable the secret read for each variable {@code X}, keyed by {@code X}
	 */
	public FileVariablesPropertySource(Map<String, SecretFile> secretsByVariable) {
		super(NAME, new Values(secretsByVariable));
		this.secretsByVariable = Map.copyOf(secretsByVariable);
	}

	/**
	 * The secret behind a property.
	 * @param property the property name, in any form the environment accepts
	 * @return the secret, or {@code null} if this source does not serve the property
	 */
	public @Nullable SecretFile secretFor(String property) {
		return this.secretsByVariable.get(resolvePropertyName(property));
	}

	/**
	 * The content of every file this source serves.
	 * @return the values, as read
	 */
	public List<String> values() {
		return this.secretsByVariable.values().stream().map(SecretFile::value).toList();
	}

	@Override
	public @Nullable Origin getOrigin(String name) {
		SecretFile secret = secretFor(name);
		return (secret != null) ? secret.origin() : null;
	}

	// Boot 3.5 reads this through OriginLookup. Boot 4 asks PropertySourceInfo, absent on Boot
	// 3.5: the Boot 4 adapter installs a subclass that implements it (SecretsSourceFactory).
	public boolean isImmutable() {
		return true;
	}

	@Override
	public String toString() {
		return "FileVariablesPropertySource {name='" + getName() + "', variables=" + this.secretsByVariable.keySet()
				+ "}";
	}

	/**
	 * The values by variable name, as the map a system-environment source needs, with a
	 * {@link #toString()} that shows no value.
	 */
	private static final class Values extends AbstractMap<String, Object> {

		private final Map<String, Object> values = new LinkedHashMap<>();

		Values(Map<String, SecretFile> secrets) {
			secrets.forEach((variable, secret) -> this.values.put(variable, VerbatimValues.escape(secret.value())));
		}

		@Override
		public Set<Entry<String, Object>> entrySet() {
			return Collections.unmodifiableMap(this.values).entrySet();
		}

		@Override
		public @Nullable Object get(Object key) {
			return this.values.get(key);
		}

		@Override
		public boolean containsKey(Object key) {
			return this.values.containsKey(key);
		}

		@Override
		public String toString() {
			return "{variables=" + this.values.keySet() + "}";
		}

	}

}
