package dev.clawbots.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal WebSocket client over a plain {@link Socket}, for tests that need to control the
 * transport: a small receive buffer, set before connecting, and reads only when the test decides to
 * (a client that stops reading fills its socket, then the server's). Client frames are masked, as
 * RFC 6455 requires; server frames are read as they come, control frames included, with no
 * automatic answer to pings or closes.
 */
final class RawWebSocket implements AutoCloseable {

  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CONTINUATION = 0x0;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** One frame from the server. */
  record Frame(boolean fin, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** A close frame's status code, or -1 when it carries none. */
    int closeStatus() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final SecureRandom random = new SecureRandom();
  final int status;
  final Map<String, String> headers;

  private RawWebSocket(Socket socket, int status, Map<String, String> headers, InputStream in)
      throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
    this.status = status;
    this.headers = headers;
  }

  /**
   * Opens {@code /v1/ws/agent} on {@code port} of 127.0.0.1 with {@code token} as a Bearer header,
   * the socket's receive buffer asked to be {@code receiveBuffer} bytes. Fails unless the server
   * answers 101 with the right {@code Sec-WebSocket-Accept}.
   */
  static RawWebSocket connect(int port, String token, int receiveBuffer, Duration readTimeout)
      throws Exception {
    return connect(port, "/v1/ws/agent", token, receiveBuffer, readTimeout);
  }

  /** As {@link #connect(int, String, int, Duration)}, at {@code path}; no token when null. */
  static RawWebSocket connect(
      int port, String path, String token, int receiveBuffer, Duration readTimeout)
      throws Exception {
    Socket socket = new Socket();
    // Before connect: the window the kernel offers the server is fixed in the handshake.
    socket.setReceiveBufferSize(receiveBuffer);
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout((int) readTimeout.toMillis());
    byte[] nonce = new byte[16];
    new SecureRandom().nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + key
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + "\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = new BufferedInputStream(socket.getInputStream());
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      socket.close();
      throw new IOException("not an HTTP response: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    if (status != 101) {
      socket.close();
      throw new IOException("the handshake was refused: " + statusLine + " " + headers);
    }
    String expected =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-1")
                    .digest(
                        (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                            .getBytes(StandardCharsets.US_ASCII)));
    if (!expected.equals(headers.get("sec-websocket-accept"))) {
      socket.close();
      throw new IOException("wrong Sec-WebSocket-Accept: " + headers);
    }
    return new RawWebSocket(socket, status, headers, in);
  }

  /** The receive buffer the kernel actually gave the socket. */
  int receiveBufferSize() throws IOException {
    return socket.getReceiveBufferSize();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection ended in the handshake");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
  }

  void sendText(String text) throws IOException {
    sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a close frame with {@code status}. */
  void sendClose(int status) throws IOException {
    sendFrame(CLOSE, new byte[] {(byte) (status >> 8), (byte) status});
  }

  /** One final frame of {@code opcode}, masked with a fresh key. */
  synchronized void sendFrame(int opcode, byte[] payload) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(14);
    header.put((byte) (0x80 | opcode));
    if (payload.length < 126) {
      header.put((byte) (0x80 | payload.length));
    } else if (payload.length <= 0xffff) {
      header.put((byte) (0x80 | 126));
      header.putShort((short) payload.length);
    } else {
      header.put((byte) (0x80 | 127));
      header.putLong(payload.length);
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    header.put(mask);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    out.write(header.array(), 0, header.position());
    out.write(masked);
    out.flush();
  }

  /**
   * The next frame from the server; waits at most the read timeout given to {@link #connect}.
   *
   * @throws EOFException when the server has closed the connection
   * @throws java.net.SocketTimeoutException when nothing came in time
   */
  Frame readFrame() throws IOException {
    int b0 = readByte();
    int b1 = readByte();
    boolean fin = (b0 & 0x80) != 0;
    int opcode = b0 & 0x0f;
    if ((b1 & 0x80) != 0) {
      throw new IOException("a server frame must not be masked");
    }
    long length = b1 & 0x7f;
    if (length == 126) {
      length = ((long) readByte() << 8) | readByte();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | readByte();
      }
    }
    if (length < 0 || length > 16 * 1024 * 1024) {
      throw new IOException("implausible frame length " + length);
    }
    byte[] payload = in.readNBytes((int) length);
    if (payload.length != length) {
      throw new EOFException("the connection ended inside a frame");
    }
    return new Frame(fin, opcode, payload);
  }

  /**
   * The next data message (text or binary, its continuation frames joined) or close frame, passing
   * over pings and pongs. A close frame is returned as it is.
   */
  Frame readMessage() throws IOException {
    while (true) {
      Frame first = readFrame();
      if (first.opcode() == PING || first.opcode() == PONG) {
        continue;
      }
      if (first.opcode() == CLOSE || first.fin()) {
        return first;
      }
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      whole.write(first.payload());
      while (true) {
        Frame next = readFrame();
        if (next.opcode() == PING || next.opcode() == PONG) {
          continue;
        }
        if (next.opcode() != CONTINUATION) {
          throw new IOException("expected a continuation frame, got opcode " + next.opcode());
        }
        whole.write(next.payload());
        if (next.fin()) {
          return new Frame(true, first.opcode(), whole.toByteArray());
        }
      }
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the server closed the connection");
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
