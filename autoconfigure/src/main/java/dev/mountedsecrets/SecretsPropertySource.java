package dev.mountedsecrets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * Serves the secrets of a folder as properties: each under the properties its file is mapped
 * to and under {@code secrets.file.<name>}, with the file as the value's origin.
 */
public final class SecretsPropertySource extends EnumerablePropertySource<SecretsSnapshot>
		implements OriginLookup<String> {

	/** Name of this property source in the environment. */
	public static final String NAME = "mountedSecrets";

	private final Map<String, SecretFile> secretsByProperty;

	/**
	 * Create a property source for the secrets of a snapshot.
	 * @param snapshot what the folder holds
	 * @param mappings which properties each file feeds
	 */
	public SecretsPropertySource(SecretsSnapshot snapshot, SecretMappings mappings) {
		super(NAME, snapshot);
		Map<String, SecretFile> byProperty = new LinkedHashMap<>();
		for (SecretFile secret : snapshot.secrets().values()) {
			for (String property : mappings.allPropertiesFor(secret.name())) {
				byProperty.put(property, secret);
			}
		}
		this.secretsByProperty = Collections.unmodifiableMap(byProperty);
	}

	@Override
	public String[] getPropertyNames() {
		return this.secretsByProperty.keySet().toArray(String[]::new);
	}

	@Override
	public boolean containsProperty(String name) {
		return this.secretsByProperty.containsKey(name);
	}

	@Override
	public @Nullable Object getProperty(String name) {
		SecretFile secret = this.secretsByProperty.get(name);
		return (secret != null) ? secret.value() : null;
	}

	@Override
	public @Nullable Origin getOrigin(String name) {
		SecretFile secret = this.secretsByProperty.get(name);
		return (secret != null) ? secret.origin() : null;
	}

	/**
	 * The secret behind a property.
	 * @param property the property name
	 * @return the secret, or {@code null} if this source does not serve the property
	 */
	public @Nullable SecretFile secretFor(String property) {
		return this.secretsByProperty.get(property);
	}

	/**
	 * The properties a secret of this source feeds, {@code secrets.file.<name>} included.
	 * @param name the secret's name
	 * @return the property names, empty if this source has no such secret
	 */
	public List<String> propertiesFedBy(String name) {
		return this.secretsByProperty.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().name().equals(name))
			.map(Map.Entry::getKey)
			.toList();
	}

	// Boot 3.5 reads this through OriginLookup. Boot 4 asks PropertySourceInfo, which the core
	// cannot implement (absent on Boot 3.5): there the source counts as mutable.
	public boolean isImmutable() {
		return true;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + " {name='" + getName() + "', dir=" + getSource().dir() + ", secrets="
				+ getSource().secrets().keySet() + "}";
	}

}
