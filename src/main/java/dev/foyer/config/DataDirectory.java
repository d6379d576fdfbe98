package dev.foyer.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Creates the data directory before anything writes into it (the embedded database, the generated master key),
 * readable by Foyer's user only: the database files inside hold password hashes and sealed keys. A relative
 * {@code foyer.data-dir} is made absolute first, against the working directory: H2 refuses a relative file path that
 * does not start with {@code ./}, so {@code FOYER_DATA_DIR=data} would otherwise stop the start deep in the database
 * set-up.
 */
public class DataDirectory implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private static final String SETTING = "FOYER_DATA_DIR (foyer.data-dir)";

	private static final String ACTION = "Point FOYER_DATA_DIR at a directory Foyer's user can write.";

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		Path dir = Path.of(environment.getProperty("foyer.data-dir", "./data")).toAbsolutePath().normalize();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("foyerDataDirectory", Map.of("foyer.data-dir", dir.toString())));
		if (Files.isDirectory(dir)) {
			return;
		}
		if (Files.exists(dir)) {
			throw new InvalidConfigurationException(SETTING, dir + " is a file, not a directory", ACTION);
		}
		create(dir);
		try {
			Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
		}
		catch (UnsupportedOperationException ex) {
			// not a POSIX file system: the operator secures the directory
		}
		catch (IOException ex) {
			throw cannotCreate(dir, ex);
		}
	}

	/** Creates {@code dir} (in the data directory) and its parents, or stops the start with what to do. */
	static void create(Path dir) {
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw cannotCreate(dir, ex);
		}
	}

	private static InvalidConfigurationException cannotCreate(Path dir, IOException ex) {
		// The JDK's own messages for these are only the path ("/srv/foyer/tomcat"); say what happened instead.
		String reason = (ex instanceof AccessDeniedException denied) ? "permission denied on " + denied.getFile()
				: (ex instanceof FileSystemException fs && fs.getReason() != null) ? fs.getReason() + ": " + fs.getFile()
						: ex.getMessage();
		return new InvalidConfigurationException(SETTING, "cannot create " + dir.toAbsolutePath() + " (" + reason + ")",
				ACTION);
	}

}
