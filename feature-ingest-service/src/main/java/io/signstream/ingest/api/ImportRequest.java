package io.signstream.ingest.api;

import java.util.List;

/**
 * Body of {@code POST /imports}.
 *
 * @param directory the dataset folder, as seen by the ingest service
 * @param splits any of train, dev, test; absent or empty = every split that has a corpus file
 */
public record ImportRequest(String directory, List<String> splits) {
}
