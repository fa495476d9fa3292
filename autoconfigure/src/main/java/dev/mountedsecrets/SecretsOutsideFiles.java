package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Finds secrets left outside files: environment variables, Java system properties,
 * command-line arguments and {@code SPRING_APPLICATION_JSON} ({@code spring.application.json})
 * entries that set a property a secret file serves, or whose name looks like a secret.
 * <p>
 * A dotted name is judged by its last segment ({@code *PASSWORD*}, {@code *PASSWD*},
 * {@code *PASS}, {@code *SECRET*}, {@code *TOKEN*}, {@code *KEY}); an environment variable,
 * which has no segments, by its whole name. Never flagged: {@code *_FILE}, names that end like
 * {@code token-uri} or {@code password-length}, and the settings of {@code management.*},
 * {@code logging.*} and {@code secrets.*}, which configure, not carry, secrets. Whatever its
 * name, a value that is a URL or connection string carrying a password ({@link UrlCredentials})
 * is reported, saying which password setting the URL's password wins over. Reports names
 * only.
 */
final class SecretsOutsideFiles {

	private static final Pattern SECRET_LIKE = Pattern.compile(".*(PASSWORD|PASSWD|SECRET|TOKEN).*|.*PASS|(.*_)?KEY");

	/** Name of the property source that Boot makes of SPRING_APPLICATION_JSON. */
	static final String APPLICATION_JSON_SOURCE = "spring.application.json";

	/** Settings that configure logging, the actuator and this starter; they hold no secret. */
	private static final Pattern SETTINGS = Pattern.compile("(MANAGEMENT|LOGGING|SECRETS)_.*");

	/** Endings of names that hold where or how a secret is used, not the secret itself. */
	private static final Pattern NOT_A_SECRET = Pattern
		.compile(".*_(URI|URL|ENDPOINT|PATH|LOCATION|ENABLED|TIMEOUT|TTL|TYPE|HEADER|PREFIX|LENGTH|ALGORITHM)");

	private SecretsOutsideFiles() {
	}

	/**
	 * The places that carry a secret outside a file.
	 * @param environment the environment, before the secrets' own sources are added
	 * @param served the properties that secret files serve
	 * @return one problem per place, naming it and never its value
	 */
	static List<SecretProblem> find(ConfigurableEnvironment environment, Set<String> served) {
		Set<String> servedKeys = served.stream().map(SecretsOutsideFiles::key).collect(Collectors.toSet());
		List<SecretProblem> found = new ArrayList<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			String kind = kindOf(source);
			if (kind == null || !(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			for (String name : enumerable.getPropertyNames()) {
				if (UrlCredentials.carryPassword(enumerable.getProperty(name))) {
					found.add(urlWithPassword(kind, name, servedKeys));
					continue;
				}
				String upper = normalized(name);
				if (upper.endsWith("_FILE") || SETTINGS.matcher(upper).matches() || NOT_A_SECRET.matcher(upper).matches()) {
					continue;
				}
				boolean servesFile = servedKeys.contains(key(name));
				if (servesFile || SECRET_LIKE.matcher(normalized(lastSegment(name))).matches()) {
					String where = where(kind, name);
					found.add(new SecretProblem(where, name, List.of(),
							servesFile ? "sets a property that a secret file serves" : "has a name that looks like a secret",
							"Move the secret into a file (a Docker or Kubernetes secret) and remove " + where
									+ "; secrets.environment-check=off turns this check off."));
				}
			}
		}
		return found;
	}

	private static SecretProblem urlWithPassword(String kind, String name, Set<String> servedKeys) {
		String where = where(kind, name);
		String replaced = UrlCredentials.passwordReplacedBy(key(name));
		String rule = "carries a password inside a URL (user info or a password parameter)";
		if (replaced != null) {
			rule += servedKeys.contains(key(replaced))
					? "; the URL's password wins over " + replaced + ", which a secret file serves"
					: "; it is used instead of " + replaced;
		}
		return new SecretProblem(where, name, List.of(), rule,
				"Take the password out of the URL and put it in a secret file that feeds "
						+ ((replaced != null) ? replaced : "the password setting of that connection")
						+ "; secrets.environment-check=off turns this check off.");
	}

	private static String where(String kind, String name) {
		return kind + " " + (kind.startsWith("command") ? "--" + name : name);
	}

	private static String normalized(String name) {
		return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
	}

	/** The part after the last '.', or the whole name; an index like {@code [0]} is dropped. */
	private static String lastSegment(String name) {
		String plain = name.replaceAll("\\[[^]]*]$", "");
		return plain.substring(plain.lastIndexOf('.') + 1);
	}

	private static @Nullable String kindOf(PropertySource<?> source) {
		if (source instanceof CommandLinePropertySource<?>) {
			return "command-line argument";
		}
		return switch (source.getName()) {
			case APPLICATION_JSON_SOURCE -> "SPRING_APPLICATION_JSON entry";
			case StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME -> "environment variable";
			case StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME -> "system property";
			default -> null;
		};
	}

	/** A property name reduced so that its relaxed forms compare equal. */
	static String key(String name) {
		return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", ".");
	}

}
