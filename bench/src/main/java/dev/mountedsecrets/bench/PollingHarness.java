package dev.mountedsecrets.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.ReadOptions;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretsFolder;
import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.SecretsPropertySource;
import dev.mountedsecrets.reload.SecretsReloader;

import org.springframework.core.env.StandardEnvironment;

/**
 * Figure 6: CPU time of one poll of the reloader when nothing changed, on its own thread,
 * for folders of 10 and 1,000 files; against the CPU time of reading the folder (what every
 * poll cost before polls compared fingerprints). The folder is created first and left alone
 * until its files' timestamps are settled (2 s).
 */
final class PollingHarness {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private PollingHarness() {
	}

	static List<String> run(List<Integer> sizes, int runs, Duration runTime) throws Exception {
		List<String> lines = new ArrayList<>();
		for (int files : sizes) {
			Path dir = SecretFolders.create(files);
			SecretsProperties properties = new SecretsProperties();
			properties.setDir(dir);
			properties.getReload().setPollInterval(Duration.ofMillis(1));
			StandardEnvironment environment = new StandardEnvironment();
			environment.getPropertySources()
				.addFirst(new SecretsPropertySource(new SecretsFolder(dir, ReadOptions.from(properties)).read(),
						SecretMappings.withOverrides(Map.of())));
			MountedSecrets secrets = new MountedSecrets(environment, properties);
			List<Double> perPoll = new ArrayList<>();
			List<Double> perRead = new ArrayList<>();
			SecretsReloader reloader = new SecretsReloader(secrets, (event) -> {
			});
			reloader.start();
			try {
				Thread watcher = watcher();
				long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
				while (reloader.polls() - reloader.contentReads() < 20) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("The folder's fingerprint never settled");
					}
					Thread.sleep(10);
				}
				for (int run = 0; run < runs; run++) {
					long reads = reloader.contentReads();
					long polls = reloader.polls();
					long cpu = threads.getThreadCpuTime(watcher.getId());
					Thread.sleep(runTime.toMillis());
					long cpuUsed = threads.getThreadCpuTime(watcher.getId()) - cpu;
					long pollsDone = reloader.polls() - polls;
					if (reloader.contentReads() != reads) {
						throw new IllegalStateException("A poll read contents although nothing changed");
					}
					perPoll.add(cpuUsed / 1e3 / pollsDone);
					long readCpu = readingCpu();
					int count = Math.max(3, 2000 / files);
					for (int i = 0; i < count; i++) {
						secrets.readFolder();
					}
					perRead.add((readingCpu() - readCpu) / 1e3 / count);
				}
			}
			finally {
				reloader.stop();
			}
			lines.add(String.format("7. CPU time per poll, nothing changed, N=%d files, %d runs: median %.1f us"
					+ " (range %.1f-%.1f); reading the folder instead: median %.1f us (range %.1f-%.1f)"
					+ " -> %.2f of a read", files, runs, Stats.median(perPoll), Stats.best(perPoll), Stats.worst(perPoll),
					Stats.median(perRead), Stats.best(perRead), Stats.worst(perRead),
					Stats.median(perPoll) / Stats.median(perRead)));
		}
		return lines;
	}

	/** CPU time of this thread and of the reader threads the folder read hands files to. */
	private static long readingCpu() {
		long cpu = threads.getCurrentThreadCpuTime();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().equals("secrets-file-reader")) {
				cpu += Math.max(0, threads.getThreadCpuTime(thread.getId()));
			}
		}
		return cpu;
	}

	private static Thread watcher() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(SecretsReloader.THREAD_NAME))
			.findFirst()
			.orElseThrow();
	}

}
