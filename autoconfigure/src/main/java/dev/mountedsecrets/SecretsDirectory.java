package dev.mountedsecrets;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Where the secrets folder is, and why: {@code secrets.dir} when it is set anywhere; else
 * systemd's {@code $CREDENTIALS_DIRECTORY} (services with {@code LoadCredential=} or
 * {@code SetCredential=}); else {@code /run/secrets}. Resolved once, by the environment
 * post-processor, which hands the folder on to everything bound to {@code secrets.*}.
 *
 * @param path the folder
 * @param source where it came from, for the log: {@code secrets.dir}, or the variable
 */
public record SecretsDirectory(Path path, String source) {

	/** The variable systemd sets for a service that has credentials. */
	public static final String CREDENTIALS_DIRECTORY = "CREDENTIALS_DIRECTORY";

	/** The folder when nothing else is set: Docker's and Swarm's secrets mount. */
	public static final Path DEFAULT = Path.of("/run/secrets");

	private static final String SETTING = "secrets.dir";

	/**
	 * Resolve the folder from the environment.
	 * @param environment the application's environment
	 * @return the folder and its source
	 */
	public static SecretsDirectory resolve(Environment environment) {
		BindResult<Path> configured = Binder.get(environment).bind(SETTING, Path.class);
		if (configured.isBound()) {
			return new SecretsDirectory(configured.get(), SETTING);
		}
		String credentials = environment.getProperty(CREDENTIALS_DIRECTORY);
		if (StringUtils.hasText(credentials)) {
			try {
				return new SecretsDirectory(Path.of(credentials), "$" + CREDENTIALS_DIRECTORY + " set by systemd; "
						+ SETTING + " is not set");
			}
			catch (InvalidPathException ex) {
				throw new IllegalStateException("$" + CREDENTIALS_DIRECTORY + " is not a valid path (" + ex.getReason()
						+ "). Fix the service's credentials, or set " + SETTING + ".", ex);
			}
		}
		return new SecretsDirectory(DEFAULT, SETTING);
	}

	/**
	 * Whether the folder comes from systemd's variable rather than from {@code secrets.dir}.
	 * @return whether {@code secrets.dir} must be set for the beans bound later
	 */
	public boolean fromCredentials() {
		return !SETTING.equals(this.source);
	}

}
