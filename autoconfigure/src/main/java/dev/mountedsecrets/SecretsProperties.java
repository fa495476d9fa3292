package dev.mountedsecrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of mounted-secrets, under {@code secrets.*}. Read once by the environment
 * post-processor, before any bean exists, and bound again as a bean for the rest.
 *
 * @see SecretsEnvironmentPostProcessor
 */
@ConfigurationProperties("secrets")
public class SecretsProperties {

	/**
	 * Whether to read secret files and feed them to the application's properties.
	 */
	private boolean enabled = true;

	/**
	 * Folder that holds one file per secret, such as Docker's or Kubernetes' secrets mount.
	 * When not set, systemd's $CREDENTIALS_DIRECTORY if set, else /run/secrets.
	 */
	private Path dir = SecretsDirectory.DEFAULT;

	/**
	 * Properties fed by a secret file, keyed by file name. Adds a mapping or replaces the
	 * default one of that file.
	 */
	private Map<String, List<String>> mappings = new LinkedHashMap<>();

	/**
	 * Secret files that must exist, be regular files and be non-empty at start-up.
	 */
	private List<String> required = new ArrayList<>();

	/**
	 * Minimum length in characters of a secret, keyed by file name, from 0 to 1000000.
	 * crypto_key, token_secret_key and nextauth_secret require 32 unless set here.
	 */
	private Map<String, Integer> minLength = new LinkedHashMap<>();

	/**
	 * Largest secret file that is read, from 1B to 16MB; a larger file fails start-up.
	 */
	private DataSize maxFileSize = DataSize.ofKilobytes(64);

	/**
	 * Whether to read files in sub-folders too, named by their relative path with '.' between
	 * the parts.
	 */
	private boolean includeSubfolders;

	/**
	 * What to do with a secret file (or its folder) that users other than its owner and group
	 * may write to. Swarm's 0444 and Kubernetes' 0644 pass.
	 */
	private CheckMode permissionCheck = CheckMode.FAIL;

	/**
	 * What to do with a secret file (or a folder it is read from, secrets.dir and its parents
	 * included) owned by a user other than root, the application's user and
	 * secrets.trusted-owners: that user can change it. A Compose bind mount keeps the host
	 * user's uid; Swarm, Kubernetes and systemd pass.
	 */
	private CheckMode ownerCheck = CheckMode.WARN;

	/**
	 * User ids (uids, 0 to 4294967294) that may own secret files and their folders besides
	 * root and the application's user, such as the host user of a Compose bind mount.
	 */
	private List<String> trustedOwners = new ArrayList<>();

	/**
	 * Whether a secret may be a link to a file outside secrets.dir. Kubernetes' own '..data'
	 * links stay inside and always pass.
	 */
	private boolean allowExternalLinks;

	/**
	 * Longest the open and read of one secret file may take, from 1ms to 1h; a read still
	 * blocked then (a file swapped for a FIFO, a stalled mount) is abandoned and reported.
	 */
	private Duration readTimeout = Duration.ofSeconds(5);

	/**
	 * Whether to refuse values such as 'changeme' or 'your-secure-password' for mapped
	 * secrets, keys and required secrets.
	 */
	private boolean rejectPlaceholders = true;

	/**
	 * What to do when environment variables, system properties or command-line arguments
	 * carry a secret: a property served from a file, or a name like *PASSWORD*, *SECRET*,
	 * *_KEY or *TOKEN*.
	 */
	private CheckMode environmentCheck = CheckMode.WARN;

	private final FileVariables fileVariables = new FileVariables();

	private final Datasource datasource = new Datasource();

	private final Reload reload = new Reload();

	private final Preflight preflight = new Preflight();

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = SettingRanges.between("secrets.read-timeout", readTimeout, SettingRanges.MIN_READ_TIMEOUT,
				SettingRanges.MAX_READ_TIMEOUT);
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Path getDir() {
		return this.dir;
	}

	public void setDir(Path dir) {
		this.dir = dir;
	}

	public Map<String, List<String>> getMappings() {
		return this.mappings;
	}

	public void setMappings(Map<String, List<String>> mappings) {
		this.mappings = SettingRanges.mappings(mappings);
	}

	public List<String> getRequired() {
		return this.required;
	}

	public void setRequired(List<String> required) {
		this.required = required;
	}

	public Map<String, Integer> getMinLength() {
		return this.minLength;
	}

	public void setMinLength(Map<String, Integer> minLength) {
		this.minLength = SettingRanges.minLengths(minLength);
	}

	public DataSize getMaxFileSize() {
		return this.maxFileSize;
	}

	public void setMaxFileSize(DataSize maxFileSize) {
		this.maxFileSize = SettingRanges.maxFileSize(maxFileSize);
	}

	public boolean isIncludeSubfolders() {
		return this.includeSubfolders;
	}

	public void setIncludeSubfolders(boolean includeSubfolders) {
		this.includeSubfolders = includeSubfolders;
	}

	public CheckMode getPermissionCheck() {
		return this.permissionCheck;
	}

	public void setPermissionCheck(CheckMode permissionCheck) {
		this.permissionCheck = permissionCheck;
	}

	public CheckMode getOwnerCheck() {
		return this.ownerCheck;
	}

	public void setOwnerCheck(CheckMode ownerCheck) {
		this.ownerCheck = ownerCheck;
	}

	public List<String> getTrustedOwners() {
		return this.trustedOwners;
	}

	public void setTrustedOwners(List<String> trustedOwners) {
		SettingRanges.uids(trustedOwners);
		this.trustedOwners = trustedOwners;
	}

	public boolean isAllowExternalLinks() {
		return this.allowExternalLinks;
	}

	public void setAllowExternalLinks(boolean allowExternalLinks) {
		this.allowExternalLinks = allowExternalLinks;
	}

	public boolean isRejectPlaceholders() {
		return this.rejectPlaceholders;
	}

	public void setRejectPlaceholders(boolean rejectPlaceholders) {
		this.rejectPlaceholders = rejectPlaceholders;
	}

	public CheckMode getEnvironmentCheck() {
		return this.environmentCheck;
	}

	public void setEnvironmentCheck(CheckMode environmentCheck) {
		this.environmentCheck = environmentCheck;
	}

	public FileVariables getFileVariables() {
		return this.fileVariables;
	}

	public Datasource getDatasource() {
		return this.datasource;
	}

	public Preflight getPreflight() {
		return this.preflight;
	}

	public Reload getReload() {
		return this.reload;
	}

	/**
	 * The {@code X_FILE} environment variables of the official Docker images.
	 */
	public static class FileVariables {

		/**
		 * Whether an environment variable X_FILE naming a file acts as if X held the file's
		 * content.
		 */
		private boolean enabled = true;

		/**
		 * X_FILE environment variables that name files for other programs (CA bundles, cloud
		 * SDK credentials) and are never read. Each name ends in _FILE.
		 */
		private List<String> ignored = new ArrayList<>(List.of("SSL_CERT_FILE", "NIX_SSL_CERT_FILE",
				"CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
				"AWS_WEB_IDENTITY_TOKEN_FILE", "AZURE_FEDERATED_TOKEN_FILE", "TF_CLI_CONFIG_FILE", "COMPOSE_FILE",
				"ENV_FILE", "LOG_FILE", "PID_FILE"));

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getIgnored() {
			return this.ignored;
		}

		public void setIgnored(List<String> ignored) {
			this.ignored = SettingRanges.ignoredFileVariables(ignored);
		}

	}

	/**
	 * Rotation of secrets without a restart.
	 */
	public static class Reload {

		/**
		 * Whether to watch the secrets folder and apply changed secrets to the environment,
		 * the connection pool, Redis, mail and the OAuth2 client.
		 */
		private boolean enabled;

		/**
		 * How long a changed folder must stay unchanged before it is read and applied, so that
		 * half-written files are never taken; from 0s to 1h.
		 */
		private Duration quietPeriod = Duration.ofSeconds(2);

		/**
		 * How often the folder is read when no file-system event arrives; from 1ms to 1d.
		 */
		private Duration pollInterval = Duration.ofSeconds(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getQuietPeriod() {
			return this.quietPeriod;
		}

		public void setQuietPeriod(Duration quietPeriod) {
			this.quietPeriod = SettingRanges.between("secrets.reload.quiet-period", quietPeriod, Duration.ZERO,
					SettingRanges.MAX_QUIET_PERIOD);
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = SettingRanges.between("secrets.reload.poll-interval", pollInterval,
					SettingRanges.MIN_POLL_INTERVAL, SettingRanges.MAX_POLL_INTERVAL);
		}

	}

	/**
	 * The pre-flight check: the application's own jar run only as far as the checks of its
	 * secrets, to learn whether a folder would start it.
	 */
	public static class Preflight {

		/**
		 * Whether to run only the start-up checks of the secrets (and the database logins when
		 * asked), print a report and exit with its code instead of starting the application.
		 */
		private boolean enabled;

		/**
		 * Format of the pre-flight report on standard output.
		 */
		private PreflightFormat format = PreflightFormat.TEXT;

		/**
		 * Whether the pre-flight check also logs in to the database with each mapped secret and
		 * applies the least-privilege rules to the application's role.
		 */
		private boolean database;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public PreflightFormat getFormat() {
			return this.format;
		}

		public void setFormat(PreflightFormat format) {
			this.format = format;
		}

		public boolean isDatabase() {
			return this.database;
		}

		public void setDatabase(boolean database) {
			this.database = database;
		}

	}

	/**
	 * Checks of the application's DataSource.
	 */
	public static class Datasource {

		/**
		 * What to do at start-up when the application's database login is privileged
		 * (PostgreSQL, MariaDB, MySQL; other databases are not checked, and a line says so).
		 */
		private CheckMode leastPrivilege = CheckMode.FAIL;

		public CheckMode getLeastPrivilege() {
			return this.leastPrivilege;
		}

		public void setLeastPrivilege(CheckMode leastPrivilege) {
			this.leastPrivilege = leastPrivilege;
		}

	}

}
