package dev.mountedsecrets.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks of the README and the pages in {@code docs/} that need no browser: every link to a
 * file points at one that exists, every anchor at a heading of its page (GitHub's slugs),
 * every page is reachable from the README, the README stays short, and the two commands CI
 * reads from the README are where CI looks for them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DocumentationLinksTests {

	// The module's tests run in sample-app/, as ComposeFileTests' relative paths assume.
	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Path README = ROOT.resolve("README.md");

	private static final Path DOCS = ROOT.resolve("docs");

	private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*$");

	private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1", Pattern.DOTALL);

	private static final Pattern LINK = Pattern
		.compile("!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

	private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");

	private static final Pattern EXTERNAL = Pattern.compile("^(?i)(https?|mailto):.*");

	@Test
	void everyLinkPointsAtAnExistingFileAndHeading() {
		List<String> dead = new ArrayList<>();
		for (Path page : pages()) {
			for (Link link : links(page)) {
				String problem = problem(page, link.target());
				if (problem != null) {
					dead.add(ROOT.relativize(page) + ":" + link.line() + ": (" + link.target() + ") " + problem);
				}
			}
		}
		assertThat(dead).as("dead links").isEmpty();
	}

	@Test
	void everyDocsPageIsLinkedFromTheReadmeOrTheDocsIndex() {
		Set<Path> linked = fileTargets(README);
		Path index = DOCS.resolve("README.md");
		if (linked.contains(index)) {
			linked.addAll(fileTargets(index));
		}
		Set<String> unlinked = new TreeSet<>();
		for (Path page : pages()) {
			if (page.startsWith(DOCS) && !linked.contains(page)) {
				unlinked.add(ROOT.relativize(page).toString());
			}
		}
		assertThat(unlinked).as("docs pages not linked from README.md or docs/README.md").isEmpty();
	}

	@Test
	void readmeIsShort() {
		assertThat(read(README).lines().count()).as("lines of README.md").isLessThanOrEqualTo(220);
	}

	@Test
	void readmeHasTheTwoCommandsWhereCiReadsThem() {
		String readme = read(README);
		assertThat(readme).contains("\n## The two commands\n");
		assertThat(firstCommandOfRow(readme, "| Run the sample")).isEqualTo("./mvnw -pl sample-app -am spring-boot:test-run");
		assertThat(firstCommandOfRow(readme, "| Run all tests")).isEqualTo("./mvnw verify");
	}

	@Test
	void slugsFollowGitHubRules() {
		Map<String, Integer> seen = new HashMap<>();
		assertThat(slug("`X_FILE` variables", seen)).isEqualTo("x_file-variables");
		assertThat(slug("PostgreSQL: least privilege", seen)).isEqualTo("postgresql-least-privilege");
		assertThat(slug("Compared with `spring.config.import=configtree:/run/secrets/`", seen))
			.isEqualTo("compared-with-springconfigimportconfigtreerunsecrets");
		assertThat(slug("Rotating safely, secret by secret", seen)).isEqualTo("rotating-safely-secret-by-secret");
		assertThat(slug("[Linked](other.md) *heading*", seen)).isEqualTo("linked-heading");
		assertThat(slug("Limits", seen)).isEqualTo("limits");
		assertThat(slug("Limits", seen)).isEqualTo("limits-1");
		assertThat(slug("Limits", seen)).isEqualTo("limits-2");
	}

	@Test
	void linksInCodeAreNotLinks() {
		String markdown = String.join("\n", "[real](a.md#x) `[in code](b.md)`", "```", "[fenced](c.md)", "```",
				"``[two ` ticks](d.md)`` and [e](https://example.com)");
		assertThat(links(markdown)).extracting(Link::target).containsExactly("a.md#x", "https://example.com");
	}

	private static String problem(Path page, String target) {
		if (target.isEmpty()) {
			return "has no target";
		}
		if (EXTERNAL.matcher(target).matches()) {
			return null;
		}
		int hash = target.indexOf('#');
		String file = (hash < 0) ? target : target.substring(0, hash);
		String anchor = (hash < 0) ? null : target.substring(hash + 1);
		if (file.startsWith("/")) {
			return "is not relative";
		}
		Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
		if (!Files.exists(resolved)) {
			return "names a file that does not exist: " + ROOT.relativize(resolved);
		}
		if (anchor == null) {
			return null;
		}
		if (!resolved.toString().endsWith(".md")) {
			return "has an anchor on a file that is not markdown";
		}
		Set<String> slugs = headingSlugs(resolved);
		return slugs.contains(anchor) ? null
				: "names no heading of " + ROOT.relativize(resolved) + "; its headings: " + slugs;
	}

	private static List<Path> pages() {
		List<Path> pages = new ArrayList<>();
		pages.add(README);
		try (Stream<Path> files = Files.walk(DOCS)) {
			files.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return pages;
	}

	private static Set<Path> fileTargets(Path page) {
		Set<Path> targets = new LinkedHashSet<>();
		for (Link link : links(page)) {
			String target = link.target();
			if (!EXTERNAL.matcher(target).matches() && !target.startsWith("#")) {
				int hash = target.indexOf('#');
				String file = (hash < 0) ? target : target.substring(0, hash);
				targets.add(page.getParent().resolve(file).normalize());
			}
		}
		return targets;
	}

	private static List<Link> links(Path page) {
		return links(read(page));
	}

	/**
	 * Links outside fenced code blocks and code spans, with their line numbers. Code spans may
	 * wrap, but never across a blank line, so text is searched one paragraph at a time.
	 */
	private static List<Link> links(String markdown) {
		List<Link> links = new ArrayList<>();
		List<String> paragraph = new ArrayList<>();
		int start = 0;
		String fence = null;
		String[] lines = markdown.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i];
			Matcher fenceLine = FENCE.matcher(line);
			if (fence != null) {
				if (closes(fence, fenceLine, line)) {
					fence = null;
				}
				continue;
			}
			if (fenceLine.matches() || line.isBlank()) {
				addLinks(paragraph, start, links);
				paragraph.clear();
				if (fenceLine.matches()) {
					fence = fenceLine.group(1);
				}
				continue;
			}
			if (paragraph.isEmpty()) {
				start = i + 1;
			}
			paragraph.add(line);
		}
		addLinks(paragraph, start, links);
		return links;
	}

	/**
	 * Whether a line closes the open fence: the same character, at least as many, nothing else.
	 */
	private static boolean closes(String fence, Matcher fenceLine, String line) {
		return fenceLine.matches() && fenceLine.group(1).charAt(0) == fence.charAt(0)
				&& fenceLine.group(1).length() >= fence.length() && line.strip().equals(fenceLine.group(1));
	}

	private static void addLinks(List<String> paragraph, int firstLine, List<Link> links) {
		String text = String.join("\n", paragraph);
		Matcher code = CODE_SPAN.matcher(text);
		StringBuilder withoutCode = new StringBuilder();
		while (code.find()) {
			// keep the line breaks, so that line numbers stay right
			code.appendReplacement(withoutCode, Matcher.quoteReplacement(code.group().replaceAll("[^\n]", " ")));
		}
		code.appendTail(withoutCode);
		Matcher link = LINK.matcher(withoutCode);
		while (link.find()) {
			int line = firstLine + (int) withoutCode.substring(0, link.start()).chars().filter((c) -> c == '\n').count();
			links.add(new Link(link.group(2), line));
		}
	}

	private static Set<String> headingSlugs(Path page) {
		Set<String> slugs = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		String fence = null;
		for (String line : read(page).split("\n")) {
			Matcher fenceLine = FENCE.matcher(line);
			if (fence != null) {
				if (closes(fence, fenceLine, line)) {
					fence = null;
				}
				continue;
			}
			if (fenceLine.matches()) {
				fence = fenceLine.group(1);
				continue;
			}
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				slugs.add(slug(heading.group(2), seen));
			}
		}
		return slugs;
	}

	/**
	 * GitHub's anchor for a heading: the text as shown (link targets, backticks and emphasis
	 * markers gone), lower case, every character but letters, digits, {@code _}, {@code -} and
	 * spaces removed, each space turned into {@code -}; a repeated slug gets {@code -1},
	 * {@code -2}, ...
	 */
	static String slug(String heading, Map<String, Integer> seen) {
		String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
			.replace("`", "")
			.replaceAll("(\\*{1,3})(\\S(?:.*?\\S)?)\\1", "$2");
		String base = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc}\\- ]", "").replace(' ', '-');
		String slug = base;
		if (seen.containsKey(base)) {
			int count = seen.get(base);
			do {
				count++;
				slug = base + "-" + count;
			}
			while (seen.containsKey(slug));
			seen.put(base, count);
		}
		seen.put(slug, 0);
		return slug;
	}

	private static String firstCommandOfRow(String readme, String rowStart) {
		return readme.lines()
			.filter((line) -> line.startsWith(rowStart))
			.findFirst()
			.map((row) -> {
				Matcher code = Pattern.compile("`([^`]+)`").matcher(row);
				return code.find() ? code.group(1) : null;
			})
			.orElse(null);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Link(String target, int line) {
	}

}
