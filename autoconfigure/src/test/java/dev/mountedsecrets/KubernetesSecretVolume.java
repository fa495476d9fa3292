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
public final class KubernetesSecretVolume {

	private final AtomicInteger generation = new AtomicInteger();

	private final Path dir;

	public KubernetesSecretVolume(Path dir) {
		this.dir = dir;
	}

	/**
	 * Write a new generation of the volume.
	 * @param keysAndValues alternating key names and contents
	 */
	public void write(String... keysAndValues) throws IOException {
		Path generation = prepare();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			Files.writeString(generation.resolve(keysAndValues[i]), keysAndValues[i + 1]);
		}
		swap(generation);
	}

	/**
	 * Create the folder of the next generation, not visible through {@code ..data} yet.
	 * @return the folder to write the keys into
	 */
	public Path prepare() throws IOException {
		return Files.createDirectory(this.dir.resolve("..2026_11_28_20_00_00." + this.generation.incrementAndGet()));
	}

	/**
	 * Make a prepared generation the current one with one rename of {@code ..data}, link its
	 * keys, and remove the previous generation.
	 * @param timestamped the prepared generation
	 */
	public void swap(Path timestamped) throws IOException {
		Path newData = this.dir.resolve("..data_tmp");
		Files.deleteIfExists(newData);
		Files.createSymbolicLink(newData, timestamped.getFileName());
		Path previous = Files.isSymbolicLink(this.dir.resolve("..data"))
				? this.dir.resolve(Files.readSymbolicLink(this.dir.resolve("..data"))) : null;
		Files.move(newData, this.dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		try (var files = Files.list(timestamped)) {
			for (Path file : files.toList()) {
				Path key = this.dir.resolve(file.getFileName());
				if (!Files.isSymbolicLink(key)) {
					Files.createSymbolicLink(key, Path.of("..data").resolve(file.getFileName()));
				}
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
