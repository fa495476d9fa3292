package dev.mountedsecrets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;


/**
 * The checks a secret must pass before it is used, at start-up and on every reload: required
 * files present, mapped files not blank, keys long enough, no placeholder values. A check
 * names the rule, never the value, not even its length.
 */
public final class SecretRules {

	private static final int DEFAULT_KEY_LENGTH = 32;

	private static final Map<String, Integer> DEFAULT_MIN_LENGTHS = Map.of("crypto_key", DEFAULT_KEY_LENGTH,
			"token_secret_key", DEFAULT_KEY_LENGTH, "nextauth_secret", DEFAULT_KEY_LENGTH);

	private final List<String> required;

	private final Map<String, Integer> minLengths;

	private final SecretMappings mappings;

	private final boolean rejectPlaceholders;

	/**
	 * Create the rules.
	 * @param required names of the files that must be present ({@code secrets.required})
	 * @param minLengths minimum lengths by file name, added to or replacing the defaults
	 * @param mappings the mappings in force
	 * @param rejectPlaceholders whether placeholder values are refused
	 */
	public SecretRules(List<String> required, Map<String, Integer> minLengths, SecretMappings mappings,
			boolean rejectPlaceholders) {
		this.required = required.stream().map(String::trim).filter((name) -> !name.isEmpty()).toList();
		Map<String, Integer> lengths = new LinkedHashMap<>(DEFAULT_MIN_LENGTHS);
		lengths.putAll(minLengths);
		this.minLengths = Map.copyOf(lengths);
		this.mappings = mappings;
		this.rejectPlaceholders = rejectPlaceholders;
	}

	/**
	 * The rules set by {@code secrets.*}.
	 * @param properties the settings
	 * @param mappings the mappings in force
	 * @return the rules
	 */
	public static SecretRules from(SecretsProperties properties, SecretMappings mappings) {
		return new SecretRules(properties.getRequired(), properties.getMinLength(), mappings,
				properties.isRejectPlaceholders());
	}

	/**
	 * Every problem of a snapshot: the files that could not be read, the required ones that are
	 * missing, and each secret that breaks a rule.
	 * @param snapshot what the folder holds
	 * @return the problems, empty when all secrets can be used
	 */
	public List<SecretProblem> check(SecretsSnapshot snapshot) {
		List<SecretProblem> problems = new ArrayList<>();
		for (SecretProblem unreadable : snapshot.problems()) {
			problems.add(unreadable.feeding(this.mappings.propertiesFor(unreadable.name())));
		}
		for (String name : this.required) {
			if (snapshot.get(name) == null && problems.stream().noneMatch((problem) -> problem.name().equals(name))) {
				problems.add(missingRequired(snapshot.dir(), name));
			}
		}
		for (SecretFile secret : snapshot.secrets().values()) {
			problems.addAll(check(secret));
		}
		return problems;
	}

	/**
	 * The rules one secret breaks.
	 * @param secret the secret
	 * @return its problems, empty when it can be used
	 */
	public List<SecretProblem> check(SecretFile secret) {
		String name = secret.name();
		Integer minLength = this.minLengths.get(name);
		boolean guarded = this.mappings.isMapped(name) || this.required.contains(name) || minLength != null;
		return check(secret.value(), guarded, name, minLength,
				(rule, action) -> new SecretProblem(secret.path().toString(), name,
						this.mappings.allPropertiesFor(name), rule, action));
	}

	/**
	 * The rules the file of an {@code X_FILE} variable breaks. It always feeds a property, so
	 * it is held to the rules of a mapped file: not blank, no placeholder, and the minimum
	 * length of any secret file mapped to the same property.
	 * @param secret the secret read from the file
	 * @param file the variable and its file, as shown to the operator
	 * @param property the property the variable feeds
	 * @return its problems, empty when it can be used
	 */
	public List<SecretProblem> checkFileVariable(SecretFile secret, String file, String property) {
		String lengthKey = this.minLengths.keySet()
			.stream()
			.filter((name) -> this.mappings.propertiesFor(name).contains(property))
			.findFirst()
			.orElse(secret.name());
		return check(secret.value(), true, lengthKey, this.minLengths.get(lengthKey),
				(rule, action) -> new SecretProblem(file, secret.name(), List.of(property), rule, action));
	}

	private List<SecretProblem> check(String value, boolean guarded, String name, @Nullable Integer minLength,
			BiFunction<String, String, SecretProblem> problem) {
		if (guarded && value.isBlank()) {
			return List.of(problem.apply(value.isEmpty() ? "is empty" : "holds only whitespace",
					"Write the secret into the file, or remove the file and its mapping."));
		}
		if (minLength != null && value.codePointCount(0, value.length()) < minLength) {
			return List.of(problem.apply(
					"is shorter than the " + minLength + " characters required (secrets.min-length." + name + ")",
					"Write a random value of at least " + minLength
							+ " characters, for example from 'openssl rand -hex 32'."));
		}
		if (guarded && this.rejectPlaceholders && PlaceholderValues.matches(value)) {
			return List.of(problem.apply("holds a placeholder from a setup guide, not a real secret",
					"Generate a real value, for example with 'openssl rand -hex 32', or set"
							+ " secrets.reject-placeholders=false."));
		}
		return List.of();
	}

	private SecretProblem missingRequired(Path dir, String name) {
		List<String> properties = this.mappings.allPropertiesFor(name);
		if (name.contains("/") || name.contains("\\") || name.equals("..")) {
			return new SecretProblem(name, name, List.of(),
					"is listed in secrets.required but is not a file name inside secrets.dir",
					"List file names only, such as db_password_server.");
		}
		Path path = dir.resolve(name);
		if (Files.isDirectory(path)) {
			return new SecretProblem(path.toString(), name, properties,
					"is required (secrets.required) but is a folder, not a file", "Mount the secret as a file.");
		}
		return new SecretProblem(path.toString(), name, properties, "is required (secrets.required) but does not exist",
				"Create the secret file, or check secrets.dir and the volume that mounts it.");
	}

}
