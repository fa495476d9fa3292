package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The owner rule ({@code secrets.owner-check}, {@code secrets.trusted-owners}): a secret file,
 * and every folder it is read from, belongs to root, to the application's own user or to a
 * user listed in {@code secrets.trusted-owners}. Any other owner can change it whatever its
 * mode: the owner of a file may always {@code chmod} and rewrite it, the owner of a folder
 * may rename the files in it. Swarm and Kubernetes write root-owned files (or, with Swarm's
 * {@code uid}, files of the application's user), systemd the service's user: they pass. A
 * Compose bind mount keeps the host user's uid: it is warned about (by default), and listing
 * that uid as trusted accepts it.
 */
final class OwnerCheck {

	/** The largest uid there is: {@code (uid_t) -1} means "no user". */
	static final long MAX_UID = 0xFFFF_FFFEL;

	private static final @Nullable Long PROCESS_UID = processUid();

	private final CheckMode mode;

	private final Set<Long> trusted;

	private final @Nullable Long self;

	/**
	 * The rule for this process.
	 * @param mode what to do with a file of another user
	 * @param trusted the uids that may own secrets besides root and this process's user
	 */
	OwnerCheck(CheckMode mode, Set<Long> trusted) {
		this(mode, trusted, PROCESS_UID);
	}

	/**
	 * The rule for a process of the given user.
	 * @param mode what to do with a file of another user
	 * @param trusted the uids that may own secrets besides root and {@code self}
	 * @param self the uid of the application's user, {@code null} if unknown (nothing is checked)
	 */
	OwnerCheck(CheckMode mode, Set<Long> trusted, @Nullable Long self) {
		this.mode = mode;
		this.trusted = Set.copyOf(trusted);
		this.self = self;
	}

	/**
	 * The uid of the process's user: the owner of {@code /proc/self} (the effective uid, as
	 * for the files it creates), else the real uid as {@code jdk.security.auth} gives it.
	 * @return the uid, {@code null} if neither tells
	 */
	static @Nullable Long processUid() {
		Long uid = uidOf(Path.of("/proc/self"));
		if (uid != null) {
			return uid;
		}
		try {
			Class<?> unix = Class.forName("com.sun.security.auth.module.UnixSystem");
			return (Long) unix.getMethod("getUid").invoke(unix.getConstructor().newInstance());
		}
		catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The uid that owns a file or folder.
	 * @param path the file or folder
	 * @param options {@link LinkOption#NOFOLLOW_LINKS} to read a link itself
	 * @return its owner's uid, {@code null} when the file system does not tell
	 */
	static @Nullable Long uidOf(Path path, LinkOption... options) {
		try {
			return (Files.getAttribute(path, "unix:uid", options) instanceof Integer uid)
					? Integer.toUnsignedLong(uid) : null;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException ex) {
			return null;
		}
	}

	/**
	 * Why a file or folder with the given owner could be changed by someone the application
	 * does not trust, if it could.
	 * @param owner the owner's uid, {@code null} when unknown
	 * @return the rule it breaks, or {@code null}
	 */
	@Nullable String rule(@Nullable Long owner) {
		if (this.mode == CheckMode.OFF || owner == null || this.self == null || owner == 0
				|| owner.equals(this.self) || this.trusted.contains(owner)) {
			return null;
		}
		return "is owned by uid " + owner + ", neither root nor the application's user (uid " + this.self
				+ ") nor in secrets.trusted-owners: that user can change it";
	}

	/**
	 * Record what a file or folder of another user means under the check mode.
	 * @param file the file or folder, as shown to the operator
	 * @param name the secret's name, {@code ""} for a folder
	 * @param path what to look at (its owner counts)
	 * @param itself whether {@code path} is what {@code file} names (else a folder it is in)
	 * @param options {@link LinkOption#NOFOLLOW_LINKS} if {@code path} is no link
	 * @param problems where a failure goes
	 * @param warnings where a warning goes
	 * @return whether the file may be used
	 */
	boolean allows(String file, String name, Path path, boolean itself, List<SecretProblem> problems,
			List<SecretProblem> warnings, LinkOption... options) {
		if (this.mode == CheckMode.OFF) {
			return true;
		}
		return allows(file, name, path, itself, uidOf(path, options), problems, warnings);
	}

	/**
	 * Record what a file or folder of another user means under the check mode, its owner
	 * known already.
	 * @param file the file or folder, as shown to the operator
	 * @param name the secret's name, {@code ""} for a folder
	 * @param path what was looked at (its owner counts)
	 * @param itself whether {@code path} is what {@code file} names (else a folder it is in)
	 * @param owner the uid that owns {@code path}, {@code null} when unknown
	 * @param problems where a failure goes
	 * @param warnings where a warning goes
	 * @return whether the file may be used
	 */
	boolean allows(String file, String name, Path path, boolean itself, @Nullable Long owner,
			List<SecretProblem> problems, List<SecretProblem> warnings) {
		String rule = rule(owner);
		if (rule == null) {
			return true;
		}
		String shown = itself ? rule : "is in " + path + ", which " + rule;
		return record(new SecretProblem(file, name, List.of(), shown, action(path, owner)), problems, warnings);
	}

	/**
	 * Record what a folder above {@code secrets.dir} owned by another user means under the
	 * check mode: its owner can put another folder in place of {@code secrets.dir}.
	 * @param folder the folder above
	 * @param problems where a failure goes
	 * @param warnings where a warning goes
	 */
	void checkAbove(Path folder, List<SecretProblem> problems, List<SecretProblem> warnings) {
		if (this.mode == CheckMode.OFF) {
			return;
		}
		checkAbove(folder, uidOf(folder), problems, warnings);
	}

	/**
	 * {@link #checkAbove(Path, List, List)} with the folder's owner known already.
	 * @param folder the folder above
	 * @param owner the uid that owns it, {@code null} when unknown
	 * @param problems where a failure goes
	 * @param warnings where a warning goes
	 */
	void checkAbove(Path folder, @Nullable Long owner, List<SecretProblem> problems, List<SecretProblem> warnings) {
		if (this.mode == CheckMode.OFF) {
			return;
		}
		String rule = rule(owner);
		if (rule != null) {
			record(new SecretProblem(folder.toString(), "", List.of(),
					rule.replace(": that user can change it", ": that user can replace secrets.dir below it"),
					"Set secrets.dir to a folder whose parents belong to root or to the application's user (uid "
							+ this.self + "); if uid " + owner + " is meant to manage the secrets, add it to"
							+ " secrets.trusted-owners."),
					problems, warnings);
		}
	}

	/**
	 * Whether the rule is applied at all.
	 * @return {@code false} when the check is off
	 */
	boolean applies() {
		return this.mode != CheckMode.OFF;
	}

	private boolean record(SecretProblem problem, List<SecretProblem> problems, List<SecretProblem> warnings) {
		if (this.mode == CheckMode.FAIL) {
			problems.add(problem);
			return false;
		}
		warnings.add(problem);
		return true;
	}

	private String action(Path path, @Nullable Long owner) {
		return "Run 'chown root " + path + "' (or chown it to the application's user, uid " + this.self
				+ "); if uid " + owner + " is meant to manage the secrets (a Compose bind mount keeps the host"
				+ " user's uid), add it to secrets.trusted-owners.";
	}

}
