package dev.mountedsecrets;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.util.unit.DataSize;

/**
 * The allowed range of each {@code secrets.*} setting, checked as it is bound: a value out of
 * range fails start-up with Spring Boot's binding failure analysis, which names the setting,
 * the value and its origin, and gives this class's reason, the allowed range.
 */
final class SettingRanges {

	static final Duration MIN_READ_TIMEOUT = Duration.ofMillis(1);

	static final Duration MAX_READ_TIMEOUT = Duration.ofHours(1);

	static final DataSize MAX_FILE_SIZE = DataSize.ofMegabytes(16);

	static final int MAX_MIN_LENGTH = 1_000_000;

	static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(1);

	static final Duration MAX_POLL_INTERVAL = Duration.ofDays(1);

	static final Duration MAX_QUIET_PERIOD = Duration.ofHours(1);

	private SettingRanges() {
	}

	static Duration between(String setting, Duration value, Duration min, Duration max) {
		if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
			throw new IllegalArgumentException(
					setting + " must be between " + DurationText.of(min) + " and " + DurationText.of(max));
		}
		return value;
	}

	static DataSize maxFileSize(DataSize value) {
		if (value == null || value.toBytes() < 1 || value.toBytes() > MAX_FILE_SIZE.toBytes()) {
			throw new IllegalArgumentException("secrets.max-file-size must be between 1B and 16MB");
		}
		return value;
	}

	static Map<String, Integer> minLengths(Map<String, Integer> value) {
		value.forEach((file, length) -> {
			fileName("secrets.min-length", file);
			if (length == null || length < 0 || length > MAX_MIN_LENGTH) {
				throw new IllegalArgumentException("secrets.min-length." + file + " must be between 0 and "
						+ MAX_MIN_LENGTH + " characters");
			}
		});
		return value;
	}

	static Map<String, List<String>> mappings(Map<String, List<String>> value) {
		value.forEach((file, properties) -> {
			fileName("secrets.mappings", file);
			for (String property : properties) {
				String name = property.strip();
				if (!name.isEmpty() && (name.chars().anyMatch(Character::isWhitespace)
						|| SecretProblem.hasControlCharacters(name) || ConfigurationPropertyName.adapt(name, '.').isEmpty())) {
					throw new IllegalArgumentException("secrets.mappings." + file + " must list property names, such as"
							+ " spring.data.redis.password or app.apiKey; '" + SecretProblem.escape(property)
							+ "' is not one");
				}
			}
		});
		return value;
	}

	static List<String> ignoredFileVariables(List<String> value) {
		for (String variable : value) {
			if (!variable.endsWith("_FILE") || variable.contains("=") || SecretProblem.hasControlCharacters(variable)) {
				throw new IllegalArgumentException("secrets.file-variables.ignored must list environment variable names"
						+ " ending in _FILE; '" + SecretProblem.escape(variable) + "' is not one");
			}
		}
		return value;
	}

	/**
	 * The uids of {@code secrets.trusted-owners}.
	 * @param value the setting, one uid an entry
	 * @return the uids
	 */
	static Set<Long> uids(List<String> value) {
		Set<Long> uids = new LinkedHashSet<>();
		for (String entry : value) {
			String uid = entry.strip();
			long parsed = -1;
			if (!uid.isEmpty() && uid.length() <= 10 && uid.chars().allMatch((c) -> c >= '0' && c <= '9')) {
				parsed = Long.parseLong(uid);
			}
			if (parsed < 0 || parsed > OwnerCheck.MAX_UID) {
				throw new IllegalArgumentException("secrets.trusted-owners must list user ids (numbers from 0 to "
						+ OwnerCheck.MAX_UID + "); '" + SecretProblem.escape(entry) + "' is not one");
			}
			uids.add(parsed);
		}
		return uids;
	}

	private static void fileName(String setting, String file) {
		if (file.isBlank() || file.contains("/") || file.equals(".") || file.equals("..")
				|| SecretProblem.hasControlCharacters(file)) {
			throw new IllegalArgumentException(setting + " must be keyed by file names in secrets.dir; '"
					+ SecretProblem.escape(file) + "' is not one");
		}
	}

	/**
	 * A duration as a user writes it in a setting: {@code 1ms}, {@code 10s}, {@code 1h}.
	 */
	private static final class DurationText {

		static String of(Duration duration) {
			if (duration.isZero()) {
				return "0s";
			}
			if (duration.toMillis() < 1000 || duration.toMillis() % 1000 != 0) {
				return duration.toMillis() + "ms";
			}
			long seconds = duration.toSeconds();
			if (seconds % 86_400 == 0) {
				return seconds / 86_400 + "d";
			}
			if (seconds % 3600 == 0) {
				return seconds / 3600 + "h";
			}
			return (seconds % 60 == 0) ? seconds / 60 + "m" : seconds + "s";
		}

	}

}
