package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Which properties each secret file feeds: the defaults for the files our users mount, changed
 * by {@code secrets.mappings.<file>}. Every secret is also served as
 * {@code secrets.file.<name>}, mapped or not.
 */
public final class SecretMappings {

	/** Prefix under which every secret is served by its own name. */
	public static final String FILE_PROPERTY_PREFIX = "secrets.file.";

	private static final Map<String, List<String>> DEFAULT_PROPERTIES = Map.of(
			"db_password_server", List.of("spring.datasource.password"),
			"postgres_password",
			List.of("spring.flyway.password", "spring.liquibase.password", "spring.sql.init.password"),
			"redis_password", List.of("spring.data.redis.password"),
			"email_password", List.of("spring.mail.password"),
			"google_oauth_client_id", List.of("spring.security.oauth2.client.registration.google.client-id"),
			"google_oauth_client_secret", List.of("spring.security.oauth2.client.registration.google.client-secret"));

	private static final Map<String, Map<String, String>> DEFAULT_COMPANIONS = Map.of(
			"db_password_server", Map.of("spring.datasource.username", "app_user"),
			"postgres_password", Map.of("spring.flyway.user", "postgres", "spring.liquibase.user", "postgres",
					"spring.sql.init.username", "postgres"));

	private final Map<String, List<String>> propertiesByFile;

	private final Map<String, Map<String, String>> companionsByFile;

	private SecretMappings(Map<String, List<String>> propertiesByFile,
			Map<String, Map<String, String>> companionsByFile) {
		this.propertiesByFile = propertiesByFile;
		this.companionsByFile = companionsByFile;
	}

	/**
	 * The default mappings, with the given ones added or put in place of a default. A file
	 * mapped to an empty list feeds no property. A replaced default loses its default user name.
	 * @param overrides properties by file name, from {@code secrets.mappings}
	 * @return the mappings in force
	 */
	public static SecretMappings withOverrides(Map<String, List<String>> overrides) {
		Map<String, List<String>> properties = new LinkedHashMap<>(DEFAULT_PROPERTIES);
		Map<String, Map<String, String>> companions = new LinkedHashMap<>(DEFAULT_COMPANIONS);
		overrides.forEach((file, mapped) -> {
			List<String> cleaned = new ArrayList<>();
			mapped.stream().map(String::trim).filter((property) -> !property.isEmpty()).forEach(cleaned::add);
			properties.put(file, List.copyOf(cleaned));
			companions.remove(file);
		});
		return new SecretMappings(Collections.unmodifiableMap(properties), Collections.unmodifiableMap(companions));
	}

	/**
	 * The properties a file feeds, not counting {@code secrets.file.<name>}.
	 * @param file the secret's name
	 * @return the mapped properties, possibly none
	 */
	public List<String> propertiesFor(String file) {
		return this.propertiesByFile.getOrDefault(file, List.of());
	}

	/**
	 * Every property a file feeds, {@code secrets.file.<name>} last.
	 * @param file the secret's name
	 * @return the properties fed by the file
	 */
	public List<String> allPropertiesFor(String file) {
		List<String> all = new ArrayList<>(propertiesFor(file));
		all.add(FILE_PROPERTY_PREFIX + file);
		return all;
	}

	/**
	 * Every property some file is mapped to, whether or not the file exists.
	 * @return the property names, {@code secrets.file.<name>} not included
	 */
	public Set<String> mappedProperties() {
		Set<String> all = new LinkedHashSet<>();
		this.propertiesByFile.values().forEach(all::addAll);
		return all;
	}

	/**
	 * Whether the file feeds at least one property beyond {@code secrets.file.<name>}.
	 * @param file the secret's name
	 * @return whether the file is mapped
	 */
	public boolean isMapped(String file) {
		return !propertiesFor(file).isEmpty();
	}

	/**
	 * Values that go with a file's properties unless set elsewhere, such as the user name that
	 * goes with a password.
	 * @param file the secret's name
	 * @return default values by property name
	 */
	public Map<String, String> defaultsFor(String file) {
		return this.companionsByFile.getOrDefault(file, Map.of());
	}

}
