package dev.mountedsecrets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin.Location;
import org.springframework.core.io.FileSystemResource;

/**
 * One secret read from a file: its name, where it came from and its content, trimmed of the
 * trailing newline. {@link #toString()} never shows the content.
 *
 * @param name the secret's name: the file name, or the relative path joined with '.'
 * @param path the file the content was read from
 * @param value the content
 */
public record SecretFile(String name, Path path, String value) {

	private static final Location START_OF_FILE = new Location(0, 0);

	/**
	 * The file as a property origin, so that {@code /actuator/env} and bind errors point at it.
	 * @return the origin of this secret's value
	 */
	public Origin origin() {
		return new TextResourceOrigin(new FileSystemResource(this.path), START_OF_FILE);
	}

	/**
	 * Whether the content is the same as another secret's, compared in constant time.
	 * @param other the other secret
	 * @return whether both hold the same content
	 */
	public boolean sameValueAs(SecretFile other) {
		return MessageDigest.isEqual(this.value.getBytes(StandardCharsets.UTF_8),
				other.value.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public String toString() {
		return "SecretFile[name=" + this.name + ", path=" + this.path + ", value=<redacted>]";
	}

}
