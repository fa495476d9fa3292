package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lays out a secret volume the way the kubelet's atomic writer does: the keys live in a
 * timestamped folder, {@code ..data} links to it, each key links to {@code ..data/<key>}, and
 * an update swaps {@code ..data} with one rename.
 */
final class KubernetesSecretVolume {

	private final AtomicInteger generation = new AtomicInteger();

	private final Path dir;

	KubernetesSecretVolume(Path dir) {
		this.dir = dir;
	}

	/**
	 * Write a new generation of the volume.
	 * @param keysAndValues alternating key names and contents
	 */
	void write(String... keysAndValues) throws IOException {
		Path timestamped = this.dir.resolve("..2026_11_28_20_00_00." + this.generation.incrementAndGet());
		Files.createDirectory(timestamped);
		for (int i = 0; i < keysAndValues.length; i += 2) {
			Files.writeString(timestamped.resolve(keysAndValues[i]), keysAndValues[i + 1]);
		}
		Path newData = this.dir.resolve("..data_tmp");
		Files.deleteIfExists(newData);
		Files.createSymbolicLink(newData, timestamped.getFileName());
		Path previous = Files.isSymbolicLink(this.dir.resolve("..data"))
				? this.dir.resolve(Files.readSymbolicLink(this.dir.resolve("..data"))) : null;
		Files.move(newData, this.dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		for (int i = 0; i < keysAndValues.length; i += 2) {
			Path key = this.dir.resolve(keysAndValues[i]);
			if (!Files.isSymbolicLink(key)) {
				Files.createSymbolicLink(key, Path.of("..data").resolve(keysAndValues[i]));
			}
		}
		if (previous != null) {
			try (var files = Files.list(previous)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
			Files.delete(previous);
		}
	}

}
