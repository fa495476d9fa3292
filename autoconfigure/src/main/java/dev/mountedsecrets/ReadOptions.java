package dev.mountedsecrets;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * How secret files are read and which file-system rules they must pass.
 *
 * @param maxFileSize the largest file accepted
 * @param includeSubfolders whether files in sub-folders are secrets too
 * @param permissionCheck what to do with a file that others may write to
 * @param allowExternalLinks whether a secret may link to a file outside the folder
 * @param readTimeout the longest the open and read of one file may take before it is given up
 */
public record ReadOptions(DataSize maxFileSize, boolean includeSubfolders, CheckMode permissionCheck,
		boolean allowExternalLinks, Duration readTimeout) {

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
	 * The options set by {@code secrets.*}.
	 * @param properties the settings
	 * @return the options
	 */
	public static ReadOptions from(SecretsProperties properties) {
		return new ReadOptions(properties.getMaxFileSize(), properties.isIncludeSubfolders(),
				properties.getPermissionCheck(), properties.isAllowExternalLinks(), properties.getReadTimeout());
	}

	/**
	 * The defaults: 64KB, no sub-folders, permission failures fail, no external links.
	 * @return the default options
	 */
	public static ReadOptions defaults() {
		return from(new SecretsProperties());
	}

}
