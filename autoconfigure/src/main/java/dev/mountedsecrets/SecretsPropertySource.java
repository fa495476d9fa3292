package dev.mountedsecrets;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * Serves the secrets of a folder as properties: each under the properties its file is mapped
 * to and under {@code secrets.file.<name>}, with the file as the value's origin. Values are
 * served verbatim: escaped so that placeholder resolution gives the file's content back. Keeps
 * the {@link ServedSecrets registry} of every value served in the process.
 */
public class SecretsPropertySource extends EnumerablePropertySource<SecretsSnapshot>
		implements OriginLookup<String> {

	/** Name of this property source in the environment. */
	public static final String NAME = "mountedSecrets";

	private final Map<String, SecretFile> secretsByProperty;

	private final Map<String, String> servedValues;

	/** Each file's origin, made when first asked for: a load or a rotation asks for none. */
	private final Map<String, Origin> origins = new ConcurrentHashMap<>();

	private final ServedSecrets served;

	/**
	 * Create a property source for the secrets of a snapshot, recording its values in the
	 * registry of every value served from its folder in this process
	 * ({@link ServedSecrets#forFolder(java.nio.file.Path)}).
	 * @param snapshot what the folder holds
	 * @param mappings which properties each file feeds
	 */
	public SecretsPropertySource(SecretsSnapshot snapshot, SecretMappings mappings) {
		this(snapshot, mappings, ServedSecrets.forFolder(snapshot.dir()));
	}

	/**
	 * Create a property source for the secrets of a snapshot, recording its values in the
	 * registry of values served so far (that of the source it replaces).
	 * @param snapshot what the folder holds
	 * @param mappings which properties each file feeds
	 * @param served every value served so far
	 */
	public SecretsPropertySource(SecretsSnapshot snapshot, SecretMappings mappings, ServedSecrets served) {
		super(NAME, snapshot);
		Map<String, SecretFile> byProperty = new LinkedHashMap<>();
		Map<String, String> values = new HashMap<>();
		for (SecretFile secret : snapshot.secrets().values()) {
			values.put(secret.name(), VerbatimValues.escape(secret.value()));
			for (String property : mappings.allPropertiesFor(secret.name())) {
				byProperty.put(property, secret);
			}
		}
		this.secretsByProperty = Collections.unmodifiableMap(byProperty);
		this.servedValues = values;
		this.served = served;
		served.record(snapshot.secrets().values().stream().map(SecretFile::value).toList());
	}

	/**
	 * The source that replaces this one after a rotation: another snapshot of the folder,
	 * recorded in the same registry. A subclass returns one of its own kind.
	 * @param snapshot the secrets now in use
	 * @param mappings which properties each file feeds
	 * @return the replacing source
	 */
	public SecretsPropertySource successor(SecretsSnapshot snapshot, SecretMappings mappings) {
		return new SecretsPropertySource(snapshot, mappings, this.served);
	}

	/**
	 * Every value served in the process, this source's and those of the sources it replaced.
	 * @return the registry
	 */
	public ServedSecrets served() {
		return this.served;
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
		return (secret != null) ? this.servedValues.get(secret.name()) : null;
	}

	@Override
	public @Nullable Origin getOrigin(String name) {
		SecretFile secret = this.secretsByProperty.get(name);
		// made once per source: /actuator/env asks for the origin of every property
		return (secret != null) ? this.origins.computeIfAbsent(secret.name(), (key) -> DescribedOrigin.of(secret.origin()))
				: null;
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

	// Boot 3.5 reads this through OriginLookup. Boot 4 asks PropertySourceInfo, absent on Boot
	// 3.5: the Boot 4 adapter installs a subclass that implements it (SecretsSourceFactory).
	public boolean isImmutable() {
		return true;
	}

	/**
	 * A file's origin with its description made once, when first asked for:
	 * {@code /actuator/env} prints the origin of every property at every request, while a
	 * folder read or a rotation need not describe any. Equal to the origin it stands for.
	 */
	private static final class DescribedOrigin extends TextResourceOrigin {

		private final TextResourceOrigin origin;

		private volatile @Nullable String description;

		private DescribedOrigin(TextResourceOrigin origin) {
			super(origin.getResource(), origin.getLocation());
			this.origin = origin;
		}

		static Origin of(Origin origin) {
			return (origin instanceof TextResourceOrigin text) ? new DescribedOrigin(text) : origin;
		}

		@Override
		public String toString() {
			String described = this.description;
			if (described == null) {
				described = this.origin.toString();
				this.description = described;
			}
			return described;
		}

	}

	@Override
	public String toString() {
		return "SecretsPropertySource {name='" + getName() + "', dir=" + getSource().dir() + ", secrets="
				+ getSource().secrets().keySet() + "}";
	}

}
