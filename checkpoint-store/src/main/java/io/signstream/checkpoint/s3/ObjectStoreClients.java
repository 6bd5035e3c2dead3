package io.signstream.checkpoint.s3;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.minio.MinioClient;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/** MinIO clients whose every request goes through an {@link ObjectStoreRetry}. */
public final class ObjectStoreClients {

    private ObjectStoreClients() {
    }

    /**
     * @param connectTimeout how long one attempt waits for a connection (a stopped store refuses at once; an
     *        unreachable host does not)
     * @param ioTimeout how long one attempt waits for bytes to move (read or write)
     */
    public static MinioClient client(String endpoint, String accessKey, String secretKey, ObjectStoreRetry retry,
            Duration connectTimeout, Duration ioTimeout) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(ioTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(ioTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .protocols(List.of(Protocol.HTTP_1_1))
                .addInterceptor(retry)
                .build();
        return MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).httpClient(http).build();
    }
}
