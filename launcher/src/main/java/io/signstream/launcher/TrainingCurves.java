package io.signstream.launcher;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/** Loss, dev WER and learning rate per epoch as one PNG of three panels (Java2D, headless). */
final class TrainingCurves {

    private static final int WIDTH = 900;
    private static final int PANEL_HEIGHT = 260;
    private static final int MARGIN = 70;

    record Series(String title, String unit, List<Double> values, Color color) {
    }

    private TrainingCurves() {
    }

    static void write(Path file, List<Series> panels) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, PANEL_HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            drawPanel(g, panels.get(i), i * PANEL_HEIGHT);
        }
        g.dispose();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drawPanel(Graphics2D g, Series series, int top) {
        int left = MARGIN;
        int right = WIDTH - 30;
        int plotTop = top + 40;
        int bottom = top + PANEL_HEIGHT - 40;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(series.title(), left, top + 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, plotTop, left, bottom);
        List<Double> values = series.values().stream().filter(v -> v != null && Double.isFinite(v)).toList();
        if (values.isEmpty()) {
            g.drawString("no data", left + 10, (plotTop + bottom) / 2);
            return;
        }
        double min = Math.min(0, values.stream().mapToDouble(Double::doubleValue).min().orElse(0));
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (max <= min) {
            max = min + 1;
        }
        int n = series.values().size();
        for (int tick = 0; tick <= 4; tick++) {
            double value = min + (max - min) * tick / 4;
            int y = bottom - (int) Math.round((bottom - plotTop) * (value - min) / (max - min));
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.3g%s", value, series.unit()), 5, y + 4);
        }
        for (int epoch = 1; epoch <= n; epoch++) {
            int x = xOf(epoch, n, left, right);
            g.drawString(String.valueOf(epoch), x - 3, bottom + 15);
        }
        g.drawString("epoch", right - 30, bottom + 30);
        g.setColor(series.color());
        g.setStroke(new BasicStroke(2.2f));
        int previousX = -1;
        int previousY = -1;
        for (int i = 0; i < n; i++) {
            Double value = series.values().get(i);
            if (value == null || !Double.isFinite(value)) {
                previousX = -1;
                continue;
            }
            int x = xOf(i + 1, n, left, right);
            int y = bottom - (int) Math.round((bottom - plotTop) * (value - min) / (max - min));
            g.fillOval(x - 3, y - 3, 7, 7);
            if (previousX >= 0) {
                g.drawLine(previousX, previousY, x, y);
            }
            previousX = x;
            previousY = y;
        }
    }

    private static int xOf(int epoch, int epochs, int left, int right) {
        return epochs == 1 ? (left + right) / 2 : left + 20 + (right - left - 40) * (epoch - 1) / (epochs - 1);
    }
}
