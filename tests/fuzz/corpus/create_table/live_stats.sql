live_stats
CREATE TABLE `live_stats` (
  `type` varchar(20) NOT NULL,
  `minute` int(11) NOT NULL,
  `count` int(11) DEFAULT NULL,
  `timestamp` decimal(18,6) DEFAULT NULL,
  PRIMARY KEY (`minute`,`type`(8))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
