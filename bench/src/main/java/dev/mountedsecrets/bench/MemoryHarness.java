package dev.mountedsecrets.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.ReadOptions;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretsFolder;
import dev.mountedsecrets.SecretsPropertySource;
import org.openjdk.jol.info.GraphLayout;

import org.springframework.boot.env.ConfigTreePropertySource;
import org.springframework.boot.env.ConfigTreePropertySource.Option;

/**
 * Figure 5: retained heap of the property source for N = 1,000 secret files, every value
 * read once (configtree caches what it read), against a plain map of the values; ours both
 * as loaded and with the index of served values built (which the first masking question, a
 * log event or an actuator request, builds in a running application).
 */
final class MemoryHarness {

	private MemoryHarness() {
	}

	static String run(int files) throws Exception {
		Path dir = SecretFolders.create(files);
		List<String> names = SecretFolders.names(dir);
		SecretsPropertySource ours = new SecretsPropertySource(new SecretsFolder(dir, ReadOptions.defaults()).read(),
				SecretMappings.withOverrides(Map.of()));
		ConfigTreePropertySource configTree = new ConfigTreePropertySource("configtree", dir,
				Option.AUTO_TRIM_TRAILING_NEW_LINE);
		Map<String, String> plain = new HashMap<>();
		for (String name : names) {
			String.valueOf(configTree.getProperty(name));
			plain.put(name, Files.readString(dir.resolve(name)));
		}
		long oursBytes = GraphLayout.parseInstance(ours).totalSize();
		ours.served().shows("a masking question builds the index");
		long indexedBytes = GraphLayout.parseInstance(ours).totalSize();
		long configTreeBytes = GraphLayout.parseInstance(configTree).totalSize();
		long plainBytes = GraphLayout.parseInstance(plain).totalSize();
		return String.format("5. retained heap, N=%d: mounted-secrets %.0f KB as loaded, %.0f KB with the index of served"
				+ " values built; configtree %.0f KB, plain map %.0f KB -> ours/configtree %.2f as loaded, %.2f indexed",
				files, oursBytes / 1024.0, indexedBytes / 1024.0, configTreeBytes / 1024.0, plainBytes / 1024.0,
				(double) oursBytes / configTreeBytes, (double) indexedBytes / configTreeBytes);
	}

}
