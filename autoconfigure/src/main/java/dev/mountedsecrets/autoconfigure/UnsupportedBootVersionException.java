package dev.mountedsecrets.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when the application runs a Spring Boot older than 3.5.
 */
public class UnsupportedBootVersionException extends IllegalStateException {

	/** The Boot generations the starter supports. */
	public static final String SUPPORTED = "Spring Boot 3.5.x, 4.0.x and 4.1.x";

	private final @Nullable String bootVersion;

	/**
	 * Create the exception.
	 * @param bootVersion the version the application runs, {@code null} if unknown
	 */
	public UnsupportedBootVersionException(@Nullable String bootVersion) {
		super("mounted-secrets supports " + SUPPORTED + "; this application runs Spring Boot "
				+ ((bootVersion != null) ? bootVersion : "of an unknown version"));
		this.bootVersion = bootVersion;
	}

	/**
	 * The version the application runs.
	 * @return the version, {@code null} if unknown
	 */
	public @Nullable String bootVersion() {
		return this.bootVersion;
	}

}
