package dev.foyer.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Creates the data directory before anything writes into it (the embedded database, the generated master key),
 * readable by Foyer's user only: the database files inside hold password hashes and sealed keys.
 */
public class DataDirectory implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		Path dir = Path.of(event.getEnvironment().getProperty("foyer.data-dir", "./data"));
		if (Files.exists(dir)) {
			return;
		}
		try {
			Files.createDirectories(dir);
			Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
		}
		catch (UnsupportedOperationException ex) {
			// not a POSIX file system: the operator secures the directory
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException("FOYER_DATA_DIR (foyer.data-dir)",
					"cannot create " + dir.toAbsolutePath() + " (" + ex.getMessage() + ")",
					"Point FOYER_DATA_DIR at a directory Foyer's user can write.");
		}
	}

}
