package dev.mountedsecrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes secret files the way operators do, with the newline that {@code echo} adds.
 */
public final class SecretFiles {

	private SecretFiles() {
	}

	public static Path write(Path dir, String name, String value) {
		try {
			return Files.writeString(dir.resolve(name), value + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
