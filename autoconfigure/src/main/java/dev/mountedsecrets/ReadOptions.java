package dev.mountedsecrets;

import java.time.Duration;
import java.util.Set;

import org.springframework.util.unit.DataSize;

/**
 * How secret files are read and which file-system rules they must pass.
 *
 * @param maxFileSize the largest file accepted
 * @param includeSubfolders whether files in sub-folders are secrets too
 * @param permissionCheck what to do with a file that others may write to
 * @param allowExternalLinks whether a secret may link to a file outside the folder
 * @param readTimeout the longest the open and read of one file may take before it is given up
 * @param ownerCheck what to do with a file or folder owned by a user other than root, the
 * application's user and the trusted ones
 * @param trustedOwners the uids that may own secrets besides root and the application's user
 */
public record ReadOptions(DataSize maxFileSize, boolean includeSubfolders, CheckMode permissionCheck,
		boolean allowExternalLinks, Duration readTimeout, CheckMode ownerCheck, Set<Long> trustedOwners) {

	public ReadOptions {
		trustedOwners = Set.copyOf(trustedOwners);
	}

	/**
	 * Options with the default owner rule (warn about owners other than root and the
	 * application's user).
	 * @param maxFileSize the largest file accepted
	 * @param includeSubfolders whether files in sub-folders are secrets too
	 * @param permissionCheck what to do with a file that others may write to
	 * @param allowExternalLinks whether a secret may link to a file outside the folder
	 * @param readTimeout the longest the open and read of one file may take before it is given up
	 */
	public ReadOptions(DataSize maxFileSize, boolean includeSubfolders, CheckMode permissionCheck,
			boolean allowExternalLinks, Duration readTimeout) {
		this(maxFileSize, includeSubfolders, permissionCheck, allowExternalLinks, readTimeout, CheckMode.WARN,
				Set.of());
	}

	/**
	 * Options with the default read timeout.
	 * @param maxFileSize the largest file accepted
	 * @param includeSubfolders whether files in sub-folders are secrets too
	 * @param permissionCheck what to do with a file that others may write to
	 * @param allowExternalLinks whether a secret may link to a file outside the folder
	 */
	public ReadOptions(DataSize maxFileSize, boolean includeSubfolders, CheckMode permissionCheck,
			boolean allowExternalLinks) {
		this(maxFileSize, includeSubfolders, permissionCheck, allowExternalLinks, SecretFileReader.DEFAULT_TIMEOUT);
	}

	/**
	 * A reader of files with these options.
	 * @return the reader
	 */
	public SecretFileReader reader() {
		return new SecretFileReader(this.maxFileSize, this.readTimeout);
	}

	/**
	 * The owner rule of these options.
	 * @return the rule
	 */
	OwnerCheck owners() {
		return new OwnerCheck(this.ownerCheck, this.trustedOwners);
	}

	/**
	 * The options set by {@code secrets.*}.
	 * @param properties the settings
	 * @return the options
	 */
	public static ReadOptions from(SecretsProperties properties) {
		return new ReadOptions(properties.getMaxFileSize(), properties.isIncludeSubfolders(),
				properties.getPermissionCheck(), properties.isAllowExternalLinks(), properties.getReadTimeout(),
				properties.getOwnerCheck(), SettingRanges.uids(properties.getTrustedOwners()));
	}

	/**
	 * The defaults: 64KB, no sub-folders, permission failures fail, no external links.
	 * @return the default options
	 */
	public static ReadOptions defaults() {
		return from(new SecretsProperties());
	}

}
