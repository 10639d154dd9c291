stats_hourly
CREATE TABLE `stats_hourly` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `time` int(11) DEFAULT NULL,
  `incoming` bigint(20) DEFAULT NULL,
  `outgoing` bigint(20) DEFAULT NULL,
  `spam` bigint(20) DEFAULT NULL,
  `bounces` bigint(20) DEFAULT NULL,
  `held` bigint(20) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `on_time` (`time`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
