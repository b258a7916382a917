[playlist]
NumberOfEntries=2
File1=nested/nova.m3u
Title1=Radio Nova
Length1=-1
File2=https://stream.classic.example/live.ogg
Title2=Classic FM Example
Version=2
